import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderByDependencies } from './dependency-order.js';
import { KernelError } from './kernel-error.js';

/** Random DAGs: node i may only depend on nodes with a smaller index, then the list is shuffled. */
const dag = fc
  .integer({ min: 1, max: 12 })
  .chain((size) =>
    fc.tuple(
      fc.tuple(
        ...Array.from({ length: size }, (_, index) =>
          fc.subarray(Array.from({ length: index }, (__, earlier) => `n${earlier}`)),
        ),
      ),
      fc.array(fc.nat(), { minLength: size, maxLength: size }),
    ),
  )
  .map(([dependencies, keys]) =>
    dependencies
      .map((dependsOn, index) => ({ name: `n${index}`, dependsOn, key: keys[index]! }))
      .sort((a, b) => a.key - b.key),
  );

describe('orderByDependencies', () => {
  it('places every node after all of its dependencies, for any acyclic graph', () => {
    fc.assert(
      fc.property(dag, (nodes) => {
        const ordered = orderByDependencies(nodes);
        const position = new Map(ordered.map((node, index) => [node.name, index]));
        expect(ordered).toHaveLength(nodes.length);
        for (const node of nodes) {
          for (const dependency of node.dependsOn)
            expect(position.get(dependency)!).toBeLessThan(position.get(node.name)!);
        }
      }),
    );
  });

  it('keeps registration order among independent nodes', () => {
    const nodes = [{ name: 'c' }, { name: 'a' }, { name: 'b', dependsOn: ['c'] }, { name: 'd' }];
    expect(orderByDependencies(nodes).map((node) => node.name)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('names a self-dependency as a cycle of one', () => {
    expect(() => orderByDependencies([{ name: 'loop', dependsOn: ['loop'] }])).toThrow(
      'expected component dependencies to form no cycle, got loop → loop',
    );
  });

  it('names only the nodes on the cycle, not those merely downstream of it', () => {
    const nodes = [
      { name: 'downstream', dependsOn: ['b'] },
      { name: 'a', dependsOn: ['b'] },
      { name: 'b', dependsOn: ['a'] },
    ];
    try {
      orderByDependencies(nodes);
      throw new Error('expected a cycle error');
    } catch (error) {
      expect(KernelError.isInstance(error) && error.code).toBe('KERNEL_DEPENDENCY_CYCLE');
      expect((error as Error).message).toMatch(/got (b → a → b|a → b → a)$/);
    }
  });
});
