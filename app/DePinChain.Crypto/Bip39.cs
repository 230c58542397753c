using System.Security.Cryptography;
using System.Text;

namespace DePinChain.Crypto;

/// <summary>BIP-39 mnemonics with the English wordlist: entropy ↔ words, and the PBKDF2 seed for BIP-32.</summary>
public static class Bip39
{
    public const int MinEntropyLength = 16;
    public const int MaxEntropyLength = 32;
    public const int SeedLength = 64;

    private const int BitsPerWord = 11;
    private const int Pbkdf2Iterations = 2048;
    private const string WordlistResource = "DePinChain.Crypto.bip39-english.txt";

    private static readonly Lazy<Wordlist> English = new(LoadWordlist, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The 2048 English words in index order.</summary>
    public static IReadOnlyList<string> EnglishWords => English.Value.Words;

    /// <summary>Entropy of 16, 20, 24, 28 or 32 bytes gives 12, 15, 18, 21 or 24 words.</summary>
    public static string GenerateMnemonic(ReadOnlySpan<byte> entropy)
    {
        if (entropy.Length < MinEntropyLength || entropy.Length > MaxEntropyLength || entropy.Length % 4 != 0)
            throw new ArgumentException($"BIP-39 entropy must be 16, 20, 24, 28 or 32 bytes, got {entropy.Length}", nameof(entropy));

        // Entropy followed by the first ENT/32 bits of its SHA-256, read as 11-bit word indexes.
        var checksumBits = entropy.Length / 4;
        Span<byte> bits = stackalloc byte[entropy.Length + 1];
        entropy.CopyTo(bits);
        bits[^1] = Hashes.Sha256(entropy)[0];

        var wordCount = (entropy.Length * 8 + checksumBits) / BitsPerWord;
        var words = English.Value.Words;
        var builder = new StringBuilder(wordCount * 8);
        for (var w = 0; w < wordCount; w++)
        {
            if (w > 0)
                builder.Append(' ');
            builder.Append(words[ReadBits(bits, w * BitsPerWord, BitsPerWord)]);
        }
        return builder.ToString();
    }

    /// <summary>True when every word is in the English list, the count is 12..24 in steps of 3, and the checksum matches.</summary>
    public static bool IsValid(string mnemonic) => TryToEntropy(mnemonic, out _, out _);

    /// <summary>The entropy a valid mnemonic encodes; FormatException naming the problem otherwise.</summary>
    public static byte[] ToEntropy(string mnemonic)
    {
        if (!TryToEntropy(mnemonic, out var entropy, out var error))
            throw new FormatException(error);
        return entropy;
    }

    /// <summary>
    /// PBKDF2-HMAC-SHA512 of the NFKD mnemonic with salt "mnemonic" + NFKD passphrase, 2048 rounds, 64 bytes.
    /// The mnemonic is checked first (as the Cosmos keyring does), so a mistyped word fails loudly instead of
    /// silently opening a different, empty account.
    /// </summary>
    public static byte[] ToSeed(string mnemonic, string passphrase = "")
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        ToEntropy(mnemonic);
        var password = Encoding.UTF8.GetBytes(NormalizeSpacing(mnemonic));
        var salt = Encoding.UTF8.GetBytes("mnemonic" + NormalizePassphrase(passphrase));
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(password, salt, Pbkdf2Iterations, HashAlgorithmName.SHA512, SeedLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    /// <summary>The raw embedded wordlist file, for integrity checks.</summary>
    internal static byte[] ReadWordlistResource()
    {
        using var stream = typeof(Bip39).Assembly.GetManifestResourceStream(WordlistResource)
            ?? throw new InvalidOperationException($"embedded resource {WordlistResource} is missing from DePinChain.Crypto");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static bool TryToEntropy(string mnemonic, out byte[] entropy, out string error)
    {
        entropy = [];
        if (mnemonic is null)
        {
            error = "mnemonic is null";
            return false;
        }
        var words = NormalizeSpacing(mnemonic).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 12 || words.Length > 24 || words.Length % 3 != 0)
        {
            error = $"mnemonic must have 12, 15, 18, 21 or 24 words, got {words.Length}";
            return false;
        }

        var totalBits = words.Length * BitsPerWord;
        var checksumBits = totalBits / 33;
        var entropyLength = (totalBits - checksumBits) / 8;
        Span<byte> bits = stackalloc byte[entropyLength + 1];
        bits.Clear();
        var index = English.Value.Index;
        for (var w = 0; w < words.Length; w++)
        {
            if (!index.TryGetValue(words[w], out var value))
            {
                error = $"word {w + 1} ('{words[w]}') is not in the BIP-39 English wordlist";
                return false;
            }
            WriteBits(bits, w * BitsPerWord, value);
        }

        var candidate = bits[..entropyLength].ToArray();
        var expected = Hashes.Sha256(candidate)[0] >> (8 - checksumBits);
        var actual = bits[entropyLength] >> (8 - checksumBits);
        if (expected != actual)
        {
            error = "mnemonic checksum does not match (a word is wrong or the words are out of order)";
            return false;
        }
        entropy = candidate;
        error = "";
        return true;
    }

    /// <summary>
    /// True when this process can apply Unicode NFKD. Processes built with InvariantGlobalization (ours are)
    /// leave strings unchanged, so non-ASCII passphrases cannot be normalized there.
    /// </summary>
    internal static bool CanNormalizeUnicode { get; } = "\u00e9".Normalize(NormalizationForm.FormKD) == "e\u0301";

    /// <summary>
    /// NFKD of the passphrase. ASCII is already NFKD. Without Unicode support a non-ASCII passphrase is refused:
    /// using it unnormalized could give a seed other BIP-39 wallets never reproduce from the same words.
    /// </summary>
    private static string NormalizePassphrase(string passphrase)
    {
        if (Ascii.IsValid(passphrase))
            return passphrase;
        if (!CanNormalizeUnicode)
            throw new ArgumentException("a non-ASCII BIP-39 passphrase needs Unicode NFKD normalization, which this process runs without (InvariantGlobalization); use an ASCII passphrase", nameof(passphrase));
        return passphrase.Normalize(NormalizationForm.FormKD);
    }

    /// <summary>NFKD (when available; English words are ASCII anyway), then words joined by single ASCII spaces.</summary>
    private static string NormalizeSpacing(string mnemonic)
    {
        var normalized = Ascii.IsValid(mnemonic) || !CanNormalizeUnicode ? mnemonic : mnemonic.Normalize(NormalizationForm.FormKD);
        return string.Join(' ', normalized.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static int ReadBits(ReadOnlySpan<byte> bytes, int bitOffset, int count)
    {
        var value = 0;
        for (var i = 0; i < count; i++)
        {
            var bit = bitOffset + i;
            value = (value << 1) | ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1);
        }
        return value;
    }

    private static void WriteBits(Span<byte> bytes, int bitOffset, int value)
    {
        for (var i = 0; i < BitsPerWord; i++)
        {
            if (((value >> (BitsPerWord - 1 - i)) & 1) == 0)
                continue;
            var bit = bitOffset + i;
            bytes[bit >> 3] |= (byte)(0x80 >> (bit & 7));
        }
    }

    private sealed record Wordlist(string[] Words, IReadOnlyDictionary<string, int> Index);

    private static Wordlist LoadWordlist()
    {
        var text = Encoding.UTF8.GetString(ReadWordlistResource());
        var words = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 2048)
            throw new InvalidOperationException($"BIP-39 wordlist has {words.Length} words, expected 2048");
        var index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++)
            index.Add(words[i], i);
        return new Wordlist(words, index);
    }
}
