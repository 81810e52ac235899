/**
 * The stage programs: JVMs that jrunc starts inside a container's namespaces (never forked copies of the runtime, see
 * docs/PROCESS-CREATION.md). {@link org.jrunc.stage.InitMain} sets up the container and becomes its process after
 * {@code start}; {@link org.jrunc.stage.ExecMain} does the same for {@code exec}. What they receive and say back is
 * {@code stage.protocol}.
 */
package org.jrunc.stage;
