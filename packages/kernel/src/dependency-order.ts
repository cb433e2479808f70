/**
 * Orders components so each comes after everything it depends on (Kahn's algorithm, registration order
 * breaking ties), and names the cycle when there is none.
 */
import { KernelError } from './kernel-error.js';

/** The minimum a node needs to be ordered. */
export interface DependencyNode {
  readonly name: string;
  readonly dependsOn?: readonly string[];
}

/**
 * Returns `nodes` in dependency order, stable with respect to registration order.
 *
 * @throws KernelError `KERNEL_UNKNOWN_DEPENDENCY` when a dependency is not registered, or
 *   `KERNEL_DEPENDENCY_CYCLE` naming one cycle as `a → b → c → a`.
 */
export function orderByDependencies<T extends DependencyNode>(nodes: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const node of nodes) byName.set(node.name, node);
  const missing: string[] = [];
  for (const node of nodes) {
    for (const dependency of node.dependsOn ?? []) {
      if (!byName.has(dependency)) missing.push(`${node.name} depends on "${dependency}"`);
    }
  }
  if (missing.length > 0) {
    throw new KernelError(
      'KERNEL_UNKNOWN_DEPENDENCY',
      `expected every dependency to be a registered component, got ${missing.join('; ')} (registered: ${[...byName.keys()].join(', ') || 'none'})`,
    );
  }
  const ordered: T[] = [];
  const placed = new Set<string>();
  // Quadratic in the worst case, which is fine for the tens of components a process runs, and keeps the
  // result exactly "earliest registered first" among the components whose dependencies are met.
  while (ordered.length < nodes.length) {
    const next = nodes.find(
      (node) =>
        !placed.has(node.name) && (node.dependsOn ?? []).every((dependency) => placed.has(dependency)),
    );
    if (next === undefined) {
      const cycle = findCycle(
        nodes.filter((node) => !placed.has(node.name)),
        byName,
      );
      throw new KernelError(
        'KERNEL_DEPENDENCY_CYCLE',
        `expected component dependencies to form no cycle, got ${cycle.join(' → ')}`,
      );
    }
    placed.add(next.name);
    ordered.push(next);
  }
  return ordered;
}

function findCycle<T extends DependencyNode>(
  remaining: readonly T[],
  byName: ReadonlyMap<string, T>,
): string[] {
  // Every remaining node has an unplaced dependency, so walking unplaced dependencies must revisit a node.
  const unplaced = new Set(remaining.map((node) => node.name));
  const path: string[] = [];
  const indexOf = new Map<string, number>();
  let current = remaining[0]!.name;
  while (!indexOf.has(current)) {
    indexOf.set(current, path.length);
    path.push(current);
    const dependencies = byName.get(current)?.dependsOn ?? [];
    current = dependencies.find((dependency) => unplaced.has(dependency))!;
  }
  return [...path.slice(indexOf.get(current)), current];
}
