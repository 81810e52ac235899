/**
 * Network devices moved into a container's network namespace (linux.netDevices): rtnetlink messages built and read
 * in Java ({@link org.jrunc.network.RouteMessages}), sent over a NETLINK_ROUTE socket of the {@code sys} bindings, and
 * the move itself ({@link org.jrunc.network.NetDevices}).
 */
package org.jrunc.network;
