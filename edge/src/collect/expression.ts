import jsep from 'jsep';

/**
 * Trigger conditions: small expressions over catalogue signals, e.g.
 *   `Vehicle.Speed > 120 && Vehicle.Powertrain.CombustionEngine.Speed > 4000`
 *   `abs(Vehicle.Acceleration.Lateral) >= 6`
 * parsed with jsep (a maintained expression parser) and compiled to a closure here, so nothing
 * is ever evaluated as JavaScript. Dotted names are signal names; a signal without a value yet
 * reads as NaN, which makes every comparison false.
 *
 * Supported: numbers, true/false, signal names, unary - + !, * / % + -, < <= > >= == !=,
 * && ||, and the functions abs, min, max.
 */

export type Lookup = (signalName: string) => number;
export type Compiled = { evaluate: (lookup: Lookup) => boolean; signals: string[] };

type Node = jsep.Expression;
type Fn = (lookup: Lookup) => number;

const functions: Record<string, (...args: number[]) => number> = {
  abs: Math.abs,
  min: Math.min,
  max: Math.max,
};

export class ExpressionError extends Error {}

export function compileCondition(source: string): Compiled {
  let ast: Node;
  try {
    ast = jsep(source);
  } catch (err) {
    throw new ExpressionError(`condition "${source}": ${(err as Error).message}`);
  }
  const signals = new Set<string>();
  const fn = compile(ast, source, signals);
  return {
    evaluate: (lookup) => {
      const v = fn(lookup);
      return v !== 0 && !Number.isNaN(v);
    },
    signals: [...signals],
  };
}

function dottedName(node: Node): string | undefined {
  if (node.type === 'Identifier') return (node as jsep.Identifier).name;
  if (node.type === 'MemberExpression') {
    const m = node as jsep.MemberExpression;
    if (m.computed) return undefined;
    const left = dottedName(m.object);
    const right =
      m.property.type === 'Identifier' ? (m.property as jsep.Identifier).name : undefined;
    return left && right ? `${left}.${right}` : undefined;
  }
  return undefined;
}

const truth = (v: number) => (v !== 0 && !Number.isNaN(v) ? 1 : 0);

function compile(node: Node, source: string, signals: Set<string>): Fn {
  const fail = (what: string): never => {
    throw new ExpressionError(`condition "${source}": ${what}`);
  };
  switch (node.type) {
    case 'Literal': {
      const v = (node as jsep.Literal).value;
      if (typeof v === 'number') return () => v;
      if (typeof v === 'boolean') return () => (v ? 1 : 0);
      return fail(`only numbers and true/false are allowed, not ${JSON.stringify(v)}`);
    }
    case 'Identifier':
    case 'MemberExpression': {
      const name = dottedName(node);
      if (!name) return fail('only plain dotted signal names are allowed');
      if (name === 'true') return () => 1;
      if (name === 'false') return () => 0;
      signals.add(name);
      return (lookup) => lookup(name);
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      const arg = compile(u.argument, source, signals);
      if (u.operator === '-') return (l) => -arg(l);
      if (u.operator === '+') return (l) => arg(l);
      if (u.operator === '!') return (l) => 1 - truth(arg(l));
      return fail(`operator ${u.operator} is not supported`);
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      const a = compile(b.left, source, signals);
      const c = compile(b.right, source, signals);
      switch (b.operator) {
        case '+':
          return (l) => a(l) + c(l);
        case '-':
          return (l) => a(l) - c(l);
        case '*':
          return (l) => a(l) * c(l);
        case '/':
          return (l) => a(l) / c(l);
        case '%':
          return (l) => a(l) % c(l);
        case '<':
          return (l) => (a(l) < c(l) ? 1 : 0);
        case '<=':
          return (l) => (a(l) <= c(l) ? 1 : 0);
        case '>':
          return (l) => (a(l) > c(l) ? 1 : 0);
        case '>=':
          return (l) => (a(l) >= c(l) ? 1 : 0);
        case '==':
        case '===':
          return (l) => (a(l) === c(l) ? 1 : 0);
        case '!=':
        case '!==':
          return (l) => (a(l) !== c(l) ? 1 : 0);
        case '&&':
          return (l) => (truth(a(l)) && truth(c(l)) ? 1 : 0);
        case '||':
          return (l) => (truth(a(l)) || truth(c(l)) ? 1 : 0);
        default:
          return fail(`operator ${b.operator} is not supported`);
      }
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      const name = dottedName(call.callee);
      const f = name ? functions[name] : undefined;
      if (!f) return fail(`unknown function ${name ?? '(expression)'}; use abs, min or max`);
      const args = call.arguments.map((x) => compile(x, source, signals));
      return (l) => f(...args.map((x) => x(l)));
    }
    default:
      return fail(`${node.type} is not supported`);
  }
}
