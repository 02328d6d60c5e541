package io.rrtcp.worker;

/**
 * What one outcome of an exchange means for the worker and for the request, in one place.
 *
 * @param worker   keep it (back to idle) or retire it, and whether as a fault (a warning, a death that counts)
 * @param leftAs   the state it is reported in when retired (null: its own)
 * @param request  answered, failed, or to be run again on another worker
 */
record FailurePolicy(WorkerFate worker, WorkerState leftAs, RequestFate request) {
    enum WorkerFate { KEEP, RECYCLE, FAULT }

    enum RequestFate { ANSWERED, FAIL, RETRY }

    private static final FailurePolicy ANSWER = new FailurePolicy(WorkerFate.KEEP, null, RequestFate.ANSWERED);

    /** A reply: an answer is answered; an error frame or a refused stream fail the request, the worker stays. */
    static FailurePolicy of(Reply reply) {
        return switch (reply) {
            case Reply.Answer a -> ANSWER;
            case Reply.ErrorFrame e -> new FailurePolicy(WorkerFate.KEEP, null, RequestFate.FAIL);
            case Reply.StreamRefused s -> new FailurePolicy(WorkerFate.KEEP, null, RequestFate.FAIL);
            // upstream runs the same request again on another worker
            case Reply.StopRequested s -> new FailurePolicy(WorkerFate.RECYCLE, WorkerState.INVALID, RequestFate.RETRY);
        };
    }

    /**
     * A failure. Past exec_ttl the worker was killed and the request fails. Any other failure retires the worker; the
     * request runs again elsewhere when it never reached the worker. A worker that exited with code 0 before it read
     * the request left on its own (a recycle, not a fault).
     */
    static FailurePolicy of(WorkerException e, WorkerState workerState) {
        if (e.kind() == WorkerException.Kind.EXEC_TTL) {
            return new FailurePolicy(WorkerFate.FAULT, WorkerState.EXEC_TTL_REACHED, RequestFate.FAIL);
        }
        boolean cleanExit = !e.delivered() && workerState == WorkerState.STOPPED;
        return new FailurePolicy(cleanExit ? WorkerFate.RECYCLE : WorkerFate.FAULT, null,
                e.delivered() ? RequestFate.FAIL : RequestFate.RETRY);
    }
}
