package dev.marketplace.orders.domain.usecase;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A listing's page from a keyset scan read with one row more than the page holds: the extra row only
 * says that a next page exists, which starts after the page's last row.
 */
final class KeysetPages {

  private KeysetPages() {}

  /**
   * @param rows up to {@code pageSize + 1} rows, in the listing's order
   * @param view what a caller sees of a row
   * @param cursorAfter the position just after a row
   * @param page the page of views, and where the next one starts (empty on the last page)
   */
  static <R, V, C, P> P of(
      List<R> rows, int pageSize, Function<R, V> view, Function<R, C> cursorAfter, BiFunction<List<V>, Optional<C>, P> page) {
    boolean more = rows.size() > pageSize;
    List<R> shown = more ? rows.subList(0, pageSize) : rows;
    List<V> views = shown.stream().map(view).toList();
    return page.apply(views, more ? Optional.of(cursorAfter.apply(shown.get(shown.size() - 1))) : Optional.empty());
  }
}
