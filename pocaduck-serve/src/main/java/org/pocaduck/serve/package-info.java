/**
 * {@code pocaduck serve}: a read-only HTTP service over stores, for Python, DVID-style clients and
 * neuroglancer. {@link org.pocaduck.serve.PointServer} is the server, {@link
 * org.pocaduck.serve.ServerSettings} its settings, {@link org.pocaduck.serve.PointFormat} the
 * point formats it sends. Uses the public API only; the backends are on the caller's class path.
 */
package org.pocaduck.serve;
