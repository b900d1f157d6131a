/**
 * The feed of every order's history: entries with their global position ({@link
 * dev.marketplace.orders.domain.history.FeedEvent}), and what one subscriber follows ({@link
 * dev.marketplace.orders.domain.feed.FeedFilter}). How positions are assigned and why a reader never
 * skips an entry: {@code usecase.FeedHorizon}.
 */
package dev.marketplace.orders.domain.feed;
