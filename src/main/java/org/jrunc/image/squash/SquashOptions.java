package org.jrunc.image.squash;

/**
 * How a squash treats what only root may create.
 *
 * @param privileged whether the caller is root: device nodes are kept; otherwise a layer with one is refused, because
 *     the caller could not create the node in the image it runs from
 */
public record SquashOptions(boolean privileged) {}
