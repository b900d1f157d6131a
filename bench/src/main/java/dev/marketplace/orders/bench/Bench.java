package dev.marketplace.orders.bench;

/** The benchmark's entry point. */
public final class Bench {
  public static void main(String[] args) {
    System.out.println("orders-bench: not yet");
  }
}
