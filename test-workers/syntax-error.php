<?php

// A worker with a syntax error: rr-tcp must fail at start with this in the message.
$x = ;
