#!/bin/sh
# A job that never finishes: the watchdog must kill the guest.
while :; do sleep 1; done
