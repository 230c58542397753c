using System.Numerics;
using DePinChain.Abci;
using DePinChain.App;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Coin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.IntegrationTests;

/// <summary>What a generated tx is meant to exercise; the chain's codes, not these, are what the tests compare.</summary>
internal enum TxKind
{
    Send,
    MultiSend,
    InsufficientFunds,
    UnknownDenom,
    ZeroAmount,
    BadSignature,
    HighS,
    WrongSequence,
    WrongChainId,
    OutOfGas,
    Garbage,
}

/// <summary>
/// The chain every integration test runs: a genesis of funded accounts and a seeded generator of blocks of valid and
/// invalid txs. Sequences are tracked from the ante rules and re-read from the chain after each block, so a wrong
/// guess only changes the mix of outcomes, never the comparison.
/// </summary>
internal sealed class Workload
{
    public const string ChainId = "depin-integration-1";
    public const string Denom = "udpin";
    public static readonly BigInteger GenesisBalance = 1_000_000_000;
    private static readonly DateTimeOffset GenesisTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly BigInteger CurveOrder = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);

    public static readonly TxSigner[] Signers = Enumerable.Range(0, 16).Select(i => TxSigner.FromSeed("integration-" + i)).ToArray();

    private readonly Random _random;
    private readonly ulong[] _sequences = new ulong[Signers.Length];

    public Workload(int seed) => _random = new Random(seed);

    public static RequestInitChain InitChain(IReadOnlyList<(byte[] Address, BigInteger Amount)>? balances = null) =>
        InitChain(TxBuilder.GenesisAppState(balances ?? Signers.Select(s => (s.Address, GenesisBalance)).ToArray()));

    /// <param name="appState">The genesis app_state JSON.</param>
    public static RequestInitChain InitChain(string appState) => new()
    {
        ChainId = ChainId,
        InitialHeight = 1,
        Time = Timestamp.FromDateTimeOffset(GenesisTime),
        AppStateBytes = ByteString.CopyFromUtf8(appState),
        ConsensusParams = new DePinChain.Protos.Types.ConsensusParams { Block = new() { MaxBytes = 22020096, MaxGas = -1 } },
    };

    /// <summary>The time of block <paramref name="height"/>: five seconds a block from genesis.</summary>
    public static DateTimeOffset BlockTime(long height) => GenesisTime.AddSeconds(height * 5);

    /// <summary>The hash of block <paramref name="height"/> (what a beacon over that block's entropy signs).</summary>
    public static byte[] BlockHash(long height) => DePinChain.Crypto.Hashes.Sha256(BitConverter.GetBytes(height));

    public static RequestFinalizeBlock Block(long height, IEnumerable<ByteString> txs)
    {
        var request = new RequestFinalizeBlock
        {
            Height = height,
            Time = Timestamp.FromDateTimeOffset(BlockTime(height)),
            Hash = ByteString.CopyFrom(BlockHash(height)),
            ProposerAddress = ByteString.CopyFrom(new byte[20]),
        };
        request.Txs.AddRange(txs);
        return request;
    }

    /// <summary>Re-reads every signer's sequence from the chain (after a block, so the next one starts right).</summary>
    public async Task SyncSequencesAsync(AbciDriver driver)
    {
        for (int i = 0; i < Signers.Length; i++) _sequences[i] = (await AccountAsync(driver, Signers[i].Bech32)).Sequence;
    }

    public static async Task<BaseAccount> AccountAsync(AbciDriver driver, string address)
    {
        var response = await driver.QueryAsync(new RequestQuery
        {
            Path = "/cosmos.auth.v1beta1.Query/Account",
            Data = new QueryAccountRequest { Address = address }.ToByteString(),
        });
        Assert.True(response.Code == 0, $"account query for {address}: code {response.Code} {response.Log}");
        return BaseAccount.Parser.ParseFrom(QueryAccountResponse.Parser.ParseFrom(response.Value).Account.Value);
    }

    public static async Task<BigInteger> BalanceAsync(AbciDriver driver, string address, string denom = Denom)
    {
        var response = await driver.QueryAsync(new RequestQuery
        {
            Path = "/cosmos.bank.v1beta1.Query/Balance",
            Data = new QueryBalanceRequest { Address = address, Denom = denom }.ToByteString(),
        });
        Assert.True(response.Code == 0, $"balance query for {address}: code {response.Code} {response.Log}");
        return BigInteger.Parse(QueryBalanceResponse.Parser.ParseFrom(response.Value).Balance.Amount);
    }

    /// <summary>The txs of the next block: mostly valid sends and multi-sends, about a third broken in one way.</summary>
    public List<ByteString> NextTxs(int count)
    {
        var txs = new List<ByteString>(count);
        for (int i = 0; i < count; i++) txs.Add(ByteString.CopyFrom(NextTx()));
        return txs;
    }

    private byte[] NextTx()
    {
        int roll = _random.Next(100);
        TxKind kind = roll switch
        {
            < 45 => TxKind.Send,
            < 57 => TxKind.MultiSend,
            < 62 => TxKind.InsufficientFunds,
            < 66 => TxKind.UnknownDenom,
            < 69 => TxKind.ZeroAmount,
            < 75 => TxKind.BadSignature,
            < 79 => TxKind.HighS,
            < 85 => TxKind.WrongSequence,
            < 89 => TxKind.WrongChainId,
            < 93 => TxKind.OutOfGas,
            _ => TxKind.Garbage,
        };
        if (kind == TxKind.Garbage)
        {
            var garbage = new byte[1 + _random.Next(200)];
            _random.NextBytes(garbage);
            return garbage;
        }

        int from = _random.Next(Signers.Length);
        TxSigner signer = Signers[from];
        string to = _random.Next(4) == 0 ? FreshAddress() : Signers[_random.Next(Signers.Length)].Bech32;
        var builder = new TxBuilder().WithFee(Denom, 200 + _random.Next(300), kind == TxKind.OutOfGas ? 1_000UL : 200_000UL);
        if (_random.Next(5) == 0) builder.Memo = "m" + _random.Next(1000);
        switch (kind)
        {
            case TxKind.MultiSend:
            {
                var multi = new MsgMultiSend();
                BigInteger total = 0;
                for (int o = 0, n = 2 + _random.Next(3); o < n; o++)
                {
                    int amount = 1 + _random.Next(1000);
                    total += amount;
                    multi.Outputs.Add(new Output { Address = _random.Next(3) == 0 ? FreshAddress() : Signers[_random.Next(Signers.Length)].Bech32, Coins = { Coin(amount) } });
                }
                multi.Inputs.Add(new Input { Address = signer.Bech32, Coins = { Coin(total) } });
                builder.AddMessage(multi);
                break;
            }
            case TxKind.InsufficientFunds:
                builder.AddMessage(TxBuilder.Send(signer.Bech32, to, Denom, GenesisBalance * 1000));
                break;
            case TxKind.UnknownDenom:
                builder.AddMessage(TxBuilder.Send(signer.Bech32, to, "uatom", 1 + _random.Next(100)));
                break;
            case TxKind.ZeroAmount:
                builder.AddMessage(TxBuilder.Send(signer.Bech32, to, Denom, 0));
                break;
            default:
                builder.AddMessage(TxBuilder.Send(signer.Bech32, to, Denom, 1 + _random.Next(1000)));
                break;
        }

        ulong sequence = _sequences[from];
        if (kind == TxKind.WrongSequence) sequence = sequence == 0 || _random.Next(2) == 0 ? sequence + 1 + (ulong)_random.Next(3) : sequence - 1;
        string chainId = kind == TxKind.WrongChainId ? "other-chain" : ChainId;
        TxRaw raw = builder.Sign(signer, chainId, (ulong)from, sequence);

        if (kind == TxKind.BadSignature)
        {
            byte[] signature = raw.Signatures[0].ToByteArray();
            signature[_random.Next(signature.Length)] ^= (byte)(1 << _random.Next(8));
            raw.Signatures[0] = ByteString.CopyFrom(signature);
        }
        else if (kind == TxKind.HighS)
        {
            raw.Signatures[0] = ByteString.CopyFrom(HighS(raw.Signatures[0].ToByteArray()));
        }

        // The ante chain increments the sequence once fee, sequence and signature pass, even when a message fails.
        if (kind is TxKind.Send or TxKind.MultiSend or TxKind.InsufficientFunds or TxKind.UnknownDenom) _sequences[from]++;
        return raw.ToByteArray();
    }

    /// <summary>The same signature with S replaced by n − S: valid for ECDSA, refused by Cosmos (malleability).</summary>
    public static byte[] HighS(byte[] signature)
    {
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var high = CurveOrder - s;
        var result = (byte[])signature.Clone();
        Array.Clear(result, 32, 32);
        high.TryWriteBytes(result.AsSpan(32 + 32 - high.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return result;
    }

    private static Coin Coin(BigInteger amount) => new() { Denom = Denom, Amount = amount.ToString() };

    private string FreshAddress()
    {
        var address = new byte[20];
        _random.NextBytes(address);
        return Bech32Address.ToBech32(address);
    }
}
