package dev.marketplace.orders.domain.order;

import java.util.List;
import java.util.Objects;

/** Where an order is delivered. Optional parts are empty strings, never null. */
public record ShippingAddress(
    String recipientName,
    List<String> addressLines,
    String locality,
    String administrativeArea,
    String postalCode,
    String regionCode,
    String phoneNumber) {

  public static final int MAX_NAME_LENGTH = 100;
  public static final int MAX_ADDRESS_LINES = 3;
  public static final int MAX_ADDRESS_LINE_LENGTH = 200;
  public static final int MAX_LOCALITY_LENGTH = 100;
  public static final int MAX_ADMINISTRATIVE_AREA_LENGTH = 100;
  public static final int MAX_POSTAL_CODE_LENGTH = 20;
  public static final int MAX_PHONE_NUMBER_LENGTH = 32;

  public ShippingAddress {
    Objects.requireNonNull(recipientName, "recipientName");
    addressLines = List.copyOf(addressLines);
    Objects.requireNonNull(locality, "locality");
    Objects.requireNonNull(administrativeArea, "administrativeArea");
    Objects.requireNonNull(postalCode, "postalCode");
    Objects.requireNonNull(regionCode, "regionCode");
    Objects.requireNonNull(phoneNumber, "phoneNumber");
  }
}
