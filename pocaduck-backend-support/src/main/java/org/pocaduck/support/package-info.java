/**
 * Mechanics the backends share, so each is written once: {@link org.pocaduck.support.StreamBase}
 * (the iterator skeleton of every stream a query returns), {@link org.pocaduck.support.ChunkCursor}
 * (cutting a label's stored runs into chunks of bounded size, for
 * {@link org.pocaduck.PointChunks} and {@link org.pocaduck.BlockChunks}),
 * {@link org.pocaduck.support.EmptyStreams}, {@link org.pocaduck.support.OneArray} (whether a
 * label's points fit one array), {@link org.pocaduck.support.DuckDbSettings} (the connection
 * settings of every embedded DuckDB) and {@link org.pocaduck.support.Closeables}.
 *
 * <p>For backend authors, not for users of the library: depends on the JDK and
 * {@code pocaduck-api} only, and its types never appear in the public API.
 */
package org.pocaduck.support;
