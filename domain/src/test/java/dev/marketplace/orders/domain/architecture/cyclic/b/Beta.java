package dev.marketplace.orders.domain.architecture.cyclic.b;

import dev.marketplace.orders.domain.architecture.cyclic.a.Alpha;

/** The other half of a deliberate package cycle (see {@link Alpha}). Not production code. */
public final class Beta {
  Alpha partner;
}
