package org.jrunc.state;

import java.util.Locale;

/** The runtime-spec container status, plus runc's "paused". */
public enum Status {
    CREATING,
    CREATED,
    RUNNING,
    PAUSED,
    STOPPED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
