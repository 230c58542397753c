using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Auth;

/// <summary>
/// Accounts, sequences, account numbers and module accounts. No messages of its own (signatures, sequences and fees are
/// the ante handler's, over <see cref="AccountKeeper"/>). Queries (<see cref="AuthQueryServer"/>): the
/// cosmos.auth.v1beta1 ones. No block hooks.
/// </summary>
public sealed class AuthModule(AccountKeeper keeper) : Module<GenesisState>(AuthKeys.ModuleName, new AuthGenesis(keeper))
{
    public override ServiceDescriptor? MsgService => null;

    public override ServiceDescriptor? QueryService => QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public AccountKeeper Keeper { get; } = keeper;

    public override void RegisterMessages(MsgRouter router)
    {
    }

    public override void RegisterQueries(QueryRouter router) => new AuthQueryServer(Keeper).Register(router.For(QueryService!));

    /// <summary>The auth section as JSON (the app's TxBuilder writes genesis files with it): <see cref="AuthGenesis.Json"/>.</summary>
    public static string FormatGenesis(GenesisState genesis) => AuthGenesis.Json.Format(genesis);

    /// <summary>A genesis account entry for a fresh address (no pubkey, sequence 0).</summary>
    public static Any GenesisAccount(byte[] address, ulong accountNumber)
        => Any.Pack(new BaseAccount { Address = Bech32Address.ToBech32(address), AccountNumber = accountNumber }, "");
}
