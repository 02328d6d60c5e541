package io.rrtcp.worker;

/** Worker states with upstream's numeric values and names (the names are what {@code informer.Workers} reports). */
public enum WorkerState {
    INACTIVE(0, "inactive"),
    READY(1, "ready"),
    WORKING(2, "working"),
    INVALID(3, "invalid"),
    STOPPING(4, "stopping"),
    STOPPED(5, "stopped"),
    DESTROYED(6, "destroyed"),
    MAX_JOBS_REACHED(7, "maxJobsReached"),
    ERRORED(8, "errored"),
    IDLE_TTL_REACHED(9, "idleTTLReached"),
    TTL_REACHED(10, "ttlReached"),
    MAX_MEMORY_REACHED(11, "maxMemoryReached"),
    /** Upstream has no name for this state and prints "undefined"; kept for wire compatibility. */
    EXEC_TTL_REACHED(12, "undefined");

    private final int code;
    private final String statusStr;

    WorkerState(int code, String statusStr) {
        this.code = code;
        this.statusStr = statusStr;
    }

    public int code() {
        return code;
    }

    public String statusStr() {
        return statusStr;
    }
}
