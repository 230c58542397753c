// Every test here starts real depinchaind processes; on a small machine they would only slow each other down.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
