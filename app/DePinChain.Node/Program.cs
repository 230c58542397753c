return await DePinChain.Node.NodeCli.RunAsync(args);
