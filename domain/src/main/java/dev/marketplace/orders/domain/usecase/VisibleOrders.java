package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import java.util.UUID;

/**
 * The one way a use case reaches an order on a caller's behalf: an order the caller may not see
 * ({@link Order#isVisibleTo}) is NOT_FOUND, exactly like one that does not exist.
 */
final class VisibleOrders {

  private VisibleOrders() {}

  /** Reads the order without locking it. */
  static Order find(UnitOfWork uow, Principal caller, UUID orderId) {
    return uow.orders().find(orderId).filter(o -> o.isVisibleTo(caller)).orElseThrow(() -> NotFoundException.order(orderId));
  }

  /** Reads the order and locks its row until the transaction ends: the start of every change. */
  static Order lock(UnitOfWork uow, Principal caller, UUID orderId) {
    return uow.orders().lockForUpdate(orderId).filter(o -> o.isVisibleTo(caller)).orElseThrow(() -> NotFoundException.order(orderId));
  }
}
