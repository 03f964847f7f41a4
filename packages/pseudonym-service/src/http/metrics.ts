// Prometheus counters of the service (docs/operations.md "Pseudonym service"): elements
// evaluated and alerts per organisation, refusals per code, requests whose client went away
// before the body was complete. Counts and names only.

export class Metrics {
  readonly #evaluated = new Map<string, number>();
  readonly #requests = new Map<string, number>();
  readonly #alerts = new Map<string, number>();
  readonly #refusals = new Map<string, number>();
  #aborted = 0;

  evaluated(organisation: string, elements: number): void {
    this.#evaluated.set(organisation, (this.#evaluated.get(organisation) ?? 0) + elements);
    this.#requests.set(organisation, (this.#requests.get(organisation) ?? 0) + 1);
  }

  alert(organisation: string): void {
    this.#alerts.set(organisation, (this.#alerts.get(organisation) ?? 0) + 1);
  }

  refused(code: string): void {
    this.#refusals.set(code, (this.#refusals.get(code) ?? 0) + 1);
  }

  /** An evaluate request whose client went away before its body was complete: neither answered nor refused. */
  aborted(): void {
    this.#aborted++;
  }

  render(): string {
    const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    const block = (name: string, help: string, label: string, m: Map<string, number>) =>
      `# HELP ${name} ${help}\n# TYPE ${name} counter\n${[...m]
        .map(([k, v]) => `${name}{${label}="${esc(k)}"} ${v}\n`)
        .join('')}`;
    return [
      block(
        'sluis_pseudonym_elements_evaluated_total',
        'Blinded elements evaluated.',
        'organisation',
        this.#evaluated,
      ),
      block(
        'sluis_pseudonym_evaluate_requests_total',
        'Evaluate requests answered.',
        'organisation',
        this.#requests,
      ),
      block(
        'sluis_pseudonym_evaluation_rate_alerts_total',
        'Hourly evaluation alerts raised.',
        'organisation',
        this.#alerts,
      ),
      block('sluis_pseudonym_refusals_total', 'Requests refused, by problem code.', 'code', this.#refusals),
      '# HELP sluis_pseudonym_evaluate_requests_aborted_total Evaluate requests whose client went away before the body was complete.\n',
      '# TYPE sluis_pseudonym_evaluate_requests_aborted_total counter\n',
      `sluis_pseudonym_evaluate_requests_aborted_total ${this.#aborted}\n`,
    ].join('');
  }
}
