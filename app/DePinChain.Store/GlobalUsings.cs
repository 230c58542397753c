// The store contracts (Iavl/IVersionedTree.cs) speak of IWriteBatch from the backend namespace.
global using DePinChain.Store.Backend;
