// Every file of this project speaks of the backend contracts (IKeyValueStore, IWriteBatch).
global using DePinChain.Store.Backend;
