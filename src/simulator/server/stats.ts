/** What the simulator has served, for tests, benchmarks and `GET /_sim/stats`. */
export class SimStats {
  /** Requests per URL path (query string excluded). */
  requests: Record<string, number> = {};
  totalRequests = 0;
  rateLimited = 0;
  served5xx = 0;
  timeouts = 0;
  truncated = 0;
  malformed = 0;
  webhookDeliveries = 0;
  webhookFailures = 0;

  countRequest(path: string): void {
    this.totalRequests++;
    this.requests[path] = (this.requests[path] ?? 0) + 1;
  }

  reset(): void {
    this.requests = {};
    this.totalRequests = 0;
    this.rateLimited = 0;
    this.served5xx = 0;
    this.timeouts = 0;
    this.truncated = 0;
    this.malformed = 0;
    this.webhookDeliveries = 0;
    this.webhookFailures = 0;
  }

  toJSON(): Record<string, unknown> {
    return {
      requests: { ...this.requests },
      totalRequests: this.totalRequests,
      rateLimited: this.rateLimited,
      served5xx: this.served5xx,
      timeouts: this.timeouts,
      truncated: this.truncated,
      malformed: this.malformed,
      webhookDeliveries: this.webhookDeliveries,
      webhookFailures: this.webhookFailures,
    };
  }
}
