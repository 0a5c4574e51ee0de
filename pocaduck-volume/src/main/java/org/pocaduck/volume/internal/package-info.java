/**
 * Helpers shared by the format readers of this module (element types, box copies, argument
 * checks, file detection). Not an API: may change without notice.
 */
package org.pocaduck.volume.internal;
