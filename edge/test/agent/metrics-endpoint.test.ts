import { describe, expect, it } from 'vitest';
import { agentMetrics } from '../../src/agent/metrics.js';
import { MetricsEndpoint } from '../../src/agent/metrics-endpoint.js';

describe('MetricsEndpoint', () => {
  it('should serve the metrics, a health check and 404 for the rest', async () => {
    const metrics = agentMetrics();
    metrics.canFrames.inc(42);
    const endpoint = new MetricsEndpoint(metrics.registry);
    await endpoint.listen('127.0.0.1', 0);
    try {
      const base = `http://127.0.0.1:${endpoint.port}`;
      const scrape = await fetch(`${base}/metrics`);
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get('content-type')).toBe(metrics.registry.contentType);
      expect(await scrape.text()).toMatch(/^fleetline_edge_can_frames_total 42$/m);
      const health = await fetch(`${base}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const other = await fetch(`${base}/other`);
      expect(other.status).toBe(404);
      expect(await other.json()).toEqual({ error: 'not found' });
    } finally {
      await endpoint.close();
    }
    expect(endpoint.port).toBeUndefined();
  });

  it('should have no port before it listens, and close at once then', async () => {
    const endpoint = new MetricsEndpoint(agentMetrics().registry);
    expect(endpoint.port).toBeUndefined();
    await endpoint.close();
  });

  it('should refuse a port that is taken, leaving nothing open', async () => {
    const first = new MetricsEndpoint(agentMetrics().registry);
    await first.listen('127.0.0.1', 0);
    try {
      const second = new MetricsEndpoint(agentMetrics().registry);
      await expect(second.listen('127.0.0.1', first.port as number)).rejects.toThrow(/EADDRINUSE/);
      expect(second.port).toBeUndefined();
      await second.close();
    } finally {
      await first.close();
    }
  });
});
