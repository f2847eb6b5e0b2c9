# -*- coding: utf-8 -*-
# RocketMQ code lab: a stand-in for the rocketmq-client-python 2.x package
# (module layout and public names as in apache/rocketmq-client-python).
# Instead of loading librocketmq through ctypes, every call that would reach
# the C++ client is answered by the simulator (see static/lab/PROTOCOL.md).
