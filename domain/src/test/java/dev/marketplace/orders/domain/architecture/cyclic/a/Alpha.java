package dev.marketplace.orders.domain.architecture.cyclic.a;

import dev.marketplace.orders.domain.architecture.cyclic.b.Beta;

/** Half of a deliberate package cycle: proves the architecture rules catch one. Not production code. */
public final class Alpha {
  Beta partner;
}
