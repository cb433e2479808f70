import { createEventBus } from '@algospace/event-bus';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { Component } from './component.js';
import { loadConfig } from './config-loader.js';
import { createKernel } from './kernel.js';
import type { ComponentStateChange } from './kernel-events.js';
import { type KernelMode, kernelSettingsShape } from './kernel-mode.js';

type Events = { NEW_TICK: { price: number }; END_OF_STREAM: undefined };

describe('kernel types', () => {
  it('types the bus of a component context with the application events and the kernel events', () => {
    const kernel = createKernel<Events>({ mode: 'backtest', monitoring: false });
    const component: Component<Events> = {
      name: 'typed',
      init(context) {
        context.bus.subscribe('NEW_TICK', (tick) => expectTypeOf(tick).toEqualTypeOf<{ price: number }>());
        context.bus.subscribe('kernel.component.state', (change) =>
          expectTypeOf(change).toEqualTypeOf<ComponentStateChange>(),
        );
        // @ts-expect-error: the payload of NEW_TICK is { price: number }
        context.bus.publish('NEW_TICK', { price: '4800' });
        expectTypeOf(context.mode).toEqualTypeOf<KernelMode>();
      },
    };
    kernel.register(component);
  });

  it('accepts a bus the application created for its own events', () => {
    const bus = createEventBus<Events>();
    createKernel<Events>({ mode: 'live', bus, monitoring: false });
  });

  it('returns the output type of the schema from loadConfig, defaults applied', () => {
    const schema = z.object({ ...kernelSettingsShape, risk: z.object({ max: z.number().default(1) }) });
    const config = loadConfig({ text: 'risk: {}\n', schema, env: {} });
    expectTypeOf(config.mode).toEqualTypeOf<KernelMode>();
    expectTypeOf(config.risk.max).toEqualTypeOf<number>();
    expectTypeOf(config.monitoring.port).toEqualTypeOf<number>();
  });
});
