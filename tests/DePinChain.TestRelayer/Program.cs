using DePinChain.TestRelayer;

// depinchain test relayer: link | start --a-rpc URL --b-rpc URL --a-mnemonic-file F --b-mnemonic-file F [--channel-a ID --channel-b ID ...]
return await RelayerCli.RunAsync(args);
