package org.jrunc.config;

import org.jrunc.JruncException;

/** A config.json (or process.json / resources JSON) that cannot be used; the message names the file and field. */
public final class ConfigException extends JruncException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
