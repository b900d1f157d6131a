package dev.marketplace.orders.domain.payment;



/** How the buyer pays. Refund arrival windows depend on it. */
public enum PaymentMethod {
  CARD,
  PAYPAL,
  ALIPAY,
  BANK_TRANSFER,
  WALLET
}
