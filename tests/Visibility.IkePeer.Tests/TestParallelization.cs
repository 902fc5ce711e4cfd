// Scenario and loopback tests bind UDP 500/4500 on 127.0.0.x; run in parallel, one takes the ports the other needs
// and falls back to others, where tshark no longer dissects IKE. The assembly's tests therefore run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
