/**
 * The memory budget rule ({@link org.pocaduck.budget.MemoryBudget}): how one process's
 * {@code --max-memory} divides into heap, native share and the part buffers may use. The launcher
 * ({@code scripts/pocaduck}) sizes the JVM by it; the scan, the migration, the Spark job and the
 * command-line tool plan their buffers by it.
 */
package org.pocaduck.budget;
