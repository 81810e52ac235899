/**
 * What the runtime and its stages share: the plans ({@link org.jrunc.stage.protocol.InitPlan}, {@link
 * org.jrunc.stage.protocol.ExecPlan}, {@link org.jrunc.stage.protocol.ProcessPlan}), their binary codec ({@link
 * org.jrunc.stage.protocol.PlanCodec}) and the framed conversation over a socketpair ({@link
 * org.jrunc.stage.protocol.SyncChannel}). Below both the container operations and the stage programs, so neither
 * imports the other.
 */
package org.jrunc.stage.protocol;
