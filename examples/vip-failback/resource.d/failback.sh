#!/bin/bash
# Runs with start/stop/status around the VIP moving: put here what must happen BEFORE heartbeat takes over the VIP.
# Exit with the status of the last critical command; with nothing to do, succeed.
exit 0
