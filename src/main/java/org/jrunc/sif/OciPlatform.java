package org.jrunc.sif;

/** The platform of an index entry; {@code variant} is empty when not given. */
public record OciPlatform(String architecture, String os, String variant) {}
