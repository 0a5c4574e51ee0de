/**
 * Moving stores between backends: {@link org.pocaduck.migrate.Migration} copies any store into
 * any other through the public API, resumably, and {@link org.pocaduck.migrate.Verification}
 * compares two stores label by label. The CLI's {@code migrate} and {@code verify} commands call
 * them.
 */
package org.pocaduck.migrate;
