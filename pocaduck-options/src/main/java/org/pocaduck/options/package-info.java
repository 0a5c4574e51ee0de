/**
 * What the {@code pocaduck} command ({@code pocaduck-cli}) and the Spark job's main class
 * ({@code pocaduck-spark}) take and print the same way: the picocli mixins
 * {@link org.pocaduck.options.StorageOptions}, {@link org.pocaduck.options.ScanOptions} and
 * {@link org.pocaduck.options.MemoryOptions}, JSON summaries ({@link org.pocaduck.options.Output}),
 * and the conventions of {@link org.pocaduck.options.CommandLines}: failures as one line
 * "pocaduck: Cannot ..." with exit code 1, out of memory included. A library both applications
 * depend on, so that neither depends on the other.
 */
package org.pocaduck.options;
