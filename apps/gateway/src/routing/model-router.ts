import type { Deployment } from '@warden/core';

/**
 * Model groups: every deployment sharing a `model_name` is one group, and requests are spread across
 * it round-robin. A retry asks for the next deployment, so it lands elsewhere when the group has more.
 */
export class ModelRouter {
  readonly #groups = new Map<string, { deployments: Deployment[]; next: number }>();
  readonly names: readonly string[];

  constructor(deployments: readonly Deployment[]) {
    for (const d of deployments) {
      const group = this.#groups.get(d.modelName);
      if (group) group.deployments.push(d);
      else this.#groups.set(d.modelName, { deployments: [d], next: 0 });
    }
    this.names = [...this.#groups.keys()];
  }

  has(model: string): boolean {
    return this.#groups.has(model);
  }

  /** The next deployment of the group, or null for an unknown model. */
  pick(model: string): Deployment | null {
    const group = this.#groups.get(model);
    if (!group) return null;
    const d = group.deployments[group.next % group.deployments.length]!;
    group.next = (group.next + 1) % group.deployments.length;
    return d;
  }

  deployments(model: string): readonly Deployment[] {
    return this.#groups.get(model)?.deployments ?? [];
  }

  all(): Deployment[] {
    return [...this.#groups.values()].flatMap((g) => g.deployments);
  }
}
