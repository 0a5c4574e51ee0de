package org.pocaduck;

/**
 * {@link Store#ingestor(String)} found another ingestor of the same worker id running: in this
 * {@code Store}, another {@code Store} of this JVM, or (where the backend can see it) another
 * process. The other run keeps going; once it ends, starting the worker again succeeds. A job
 * runner that may start two attempts of one worker (Spark's retries and speculation) waits on
 * this exception and tries again. An {@link IllegalStateException}, as the rule it breaks is
 * about the state of the store.
 */
public class WorkerBusyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message "Cannot start worker '...': ..." naming the worker id and where it runs */
    public WorkerBusyException(String message) {
        super(message);
    }
}
