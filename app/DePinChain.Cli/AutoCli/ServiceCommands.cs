using System.CommandLine;
using DePinChain.App;
using DePinChain.Cli.Commands;
using DePinChain.Cli.Rpc;
using DePinChain.Fleet;
using DePinChain.Protos;
using DePinChain.Protos.Cosmos.Base.Query.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;

namespace DePinChain.Cli.AutoCli;

/// <summary>
/// `tx &lt;module&gt; &lt;msg&gt;` and `query &lt;module&gt; &lt;method&gt;` for every rpc of every module's proto services (the
/// Cosmos SDK's AutoCLI idea): command names, arguments, flags, types and help come from the descriptors and their
/// comments; <see cref="CliCatalog"/> adds only what descriptors cannot say (positional arguments, aliases, file
/// inputs, text printers). A tx's messages pass the app's own stateless checks before anything is signed or sent.
/// </summary>
internal sealed class ServiceCommands(GlobalOptions g, CliContext context, TxPipeline pipeline, Option<long> height)
{
    private static readonly Lazy<(AppModules Modules, MsgRouter Msgs)> App = new(() =>
    {
        var modules = new AppModules();
        var msgs = new MsgRouter();
        modules.RegisterRoutes(msgs, new QueryRouter());
        return (modules, msgs);
    });

    /// <summary>The app's modules in their registration order, each with its services.</summary>
    public static IReadOnlyList<IModule> Modules => App.Value.Modules.Modules;

    public IEnumerable<Command> TxCommands()
    {
        foreach (var module in Modules)
        {
            if (module.MsgService is not { } service) continue;
            var group = new Command(module.Name, $"{module.Name} transactions: {ProtoComments.Of(service)}".TrimEnd(' ', ':'));
            foreach (var method in module.MsgServices.SelectMany(s => s.Methods))
                group.Subcommands.Add(TxCommand(method, CliCatalog.Options(method)));
            yield return group;
        }
    }

    public IEnumerable<Command> QueryCommands()
    {
        foreach (var module in Modules)
        {
            if (module.QueryService is not { } service) continue;
            var group = new Command(module.Name, $"{module.Name} queries: {ProtoComments.Of(service)}".TrimEnd(' ', ':'));
            foreach (var method in module.QueryServices.SelectMany(s => s.Methods))
                group.Subcommands.Add(QueryCommand(method, CliCatalog.Options(method)));
            yield return group;
        }
    }

    private static string CommandName(MethodDescriptor method, MethodOptions options) => options.Use ?? Kebab(method.Name);

    public static string Kebab(string pascal)
    {
        var text = new System.Text.StringBuilder();
        foreach (char c in pascal)
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    // ------------------------------------------------------------------ tx

    private Command TxCommand(MethodDescriptor method, MethodOptions options)
    {
        var signerFields = MsgSigners.FieldNames(method.InputType);
        // String signer fields come from --from; message signer fields (bank's inputs) stay inputs of their own.
        var fromSigner = signerFields.Where(name => method.InputType.FindFieldByName(name).FieldType == FieldType.String).ToList();
        var inputs = new FieldInputs(method.InputType, options, excluded: fromSigner.Where(s => !options.Positional.Contains(s)).ToList());
        var command = new Command(CommandName(method, options), Describe(method));
        foreach (var alias in options.Aliases) command.Aliases.Add(alias);
        inputs.AddTo(command);
        foreach (var option in options.ExtraOptions) command.Options.Add(option);
        foreach (var argument in options.ExtraArguments) command.Arguments.Add(argument);
        // A signer taken as an argument replaces --from (tx bank send FROM TO AMOUNT).
        var positionalSigner = fromSigner.FirstOrDefault(options.Positional.Contains);
        pipeline.Flags.AddTo(command, withFrom: positionalSigner is null);
        var route = App.Value.Msgs.Find("/" + method.InputType.FullName)!;

        command.SetAction(async (result, cancel) =>
        {
            pipeline.CheckFlags(result);
            var keys = new KeyResolver(result, g, context);
            string fromText = positionalSigner is null
                ? result.GetValue(pipeline.Flags.From) ?? throw new CliUsageException("--from is required: the key (or address) that signs")
                : inputs.TextOf(result, positionalSigner);
            // The fields first: what was typed is checked before the signer's key is looked up.
            IMessage msg = inputs.Parse(result, keys, skip: positionalSigner);
            string signer = keys.Address(fromText, positionalSigner is null ? "--from" : FieldInput.CliName(method.InputType.FindFieldByName(positionalSigner)));
            var call = new MethodCall(result, context, () => pipeline.Client(result), keys, signer,
                cancelChainId => pipeline.ChainIdAsync(result, pipeline.Client(result), cancelChainId));
            foreach (var name in fromSigner)
            {
                // A signer field that names a validator (staking's, slashing's) takes the signer's operator address.
                var field = method.InputType.FindFieldByName(name);
                field.Accessor.SetValue(msg, FieldInput.KindOf(field) == FieldKind.ValidatorAddress ? keys.Operator(signer, "--from") : signer);
            }
            try
            {
                if (options.Build is { } build) msg = build(call, msg);
                if (options.Complete is { } complete) await complete(call, msg, cancel);
            }
            catch (FleetException e)
            {
                throw new CliUsageException(e.Message); // a bad report or signature file: nothing was sent
            }
            IReadOnlyList<IMessage> messages = [msg, .. options.Also?.Invoke(call, msg) ?? []];
            foreach (var m in messages)
            {
                try
                {
                    (App.Value.Msgs.Find("/" + m.Descriptor.FullName) ?? route).ValidateBasic(m);
                }
                catch (SdkError e)
                {
                    throw new CliUsageException($"{CommandName(method, options)}: {e.Message} (code {e.Code}, {e.Codespace})");
                }
            }
            return await pipeline.RunAsync(result, fromText, messages, cancel);
        });
        return command;
    }

    // ------------------------------------------------------------------ query

    private Command QueryCommand(MethodDescriptor method, MethodOptions options)
    {
        var inputs = new FieldInputs(method.InputType, options, excluded: []);
        var command = new Command(CommandName(method, options), Describe(method));
        foreach (var alias in options.Aliases) command.Aliases.Add(alias);
        inputs.AddTo(command);
        foreach (var option in options.ExtraOptions) command.Options.Add(option);
        foreach (var argument in options.ExtraArguments) command.Arguments.Add(argument);
        string path = QueryRouter.PathOf(method);

        command.SetAction(async (result, cancel) =>
        {
            var keys = new KeyResolver(result, g, context);
            var call = new MethodCall(result, context, () => pipeline.Client(result), keys, signer: null);
            IMessage request = inputs.Parse(result, keys);
            if (options.Build is { } build) request = build(call, request);
            if (options.Complete is { } complete) await complete(call, request, cancel);
            AbciQueryResult answer = await call.Client.AbciQueryAsync(path, request.ToByteArray(), result.GetValue(height), cancel);
            if (answer.Code != 0)
                throw new CliException($"{CommandName(method, options)} failed: code {answer.Code} ({answer.Codespace}): {answer.Log}");
            IMessage response = method.OutputType.Parser.ParseFrom(answer.Value);
            if (result.Json(g) || options.PrintText is null)
                context.Out.WriteLine(TxJson.Format(response));
            else
                options.PrintText(call, response);
            return 0;
        });
        return command;
    }

    private static string Describe(MethodDescriptor method)
    {
        string comment = ProtoComments.Of(method);
        return comment.Length > 0 ? comment : $"{method.Service.FullName}/{method.Name}";
    }

    /// <summary>The request message's fields as arguments and options, and their parsing back into a message.</summary>
    private sealed class FieldInputs
    {
        private readonly MessageDescriptor _type;
        private readonly List<(FieldDescriptor Field, Argument Argument)> _arguments = [];
        private readonly List<(FieldDescriptor Field, Option Option)> _options = [];
        private readonly Dictionary<string, Argument> _argumentsByField = new(StringComparer.Ordinal);
        private Option<string?>? _pageKey;
        private Option<ulong?>? _limit, _offset;
        private Option<bool>? _countTotal, _reverse;

        public FieldInputs(MessageDescriptor type, MethodOptions options, IReadOnlyList<string> excluded)
        {
            _type = type;
            foreach (var name in options.Positional)
            {
                var field = type.FindFieldByName(name) ?? throw new InvalidOperationException($"{type.FullName} has no field {name}");
                string argumentName = FieldInput.CliName(field).ToUpperInvariant().Replace('-', '_');
                Argument argument = field.IsRepeated && FieldInput.KindOf(field) != FieldKind.Coins
                    ? new Argument<string[]>(argumentName) { Description = Help(field), Arity = ArgumentArity.OneOrMore }
                    : new Argument<string>(argumentName) { Description = Help(field) };
                _arguments.Add((field, argument));
                _argumentsByField[name] = argument;
            }
            foreach (var field in type.Fields.InFieldNumberOrder())
            {
                if (options.Positional.Contains(field.Name) || options.Hidden.Contains(field.Name) || excluded.Contains(field.Name)) continue;
                if (FieldInput.KindOf(field) == FieldKind.Pagination)
                {
                    _pageKey = new Option<string?>("--page-key") { Description = "Continue from this next_key of an earlier page (base64)" };
                    _limit = new Option<ulong?>("--limit") { Description = "At most this many results" };
                    _offset = new Option<ulong?>("--offset") { Description = "Skip this many results (instead of --page-key)" };
                    _countTotal = new Option<bool>("--count-total") { Description = "Also count every result" };
                    _reverse = new Option<bool>("--reverse") { Description = "Newest first" };
                    continue;
                }
                Option option = FieldInput.KindOf(field) == FieldKind.Bool
                    ? new Option<bool>("--" + FieldInput.CliName(field)) { Description = Help(field) }
                    : field.IsRepeated && FieldInput.KindOf(field) != FieldKind.Coins
                        ? new Option<string[]>("--" + FieldInput.CliName(field)) { Description = Help(field) + " (repeat the flag for several)", AllowMultipleArgumentsPerToken = false }
                        : new Option<string?>("--" + FieldInput.CliName(field)) { Description = Help(field) };
                _options.Add((field, option));
            }
        }

        /// <summary>The text of a single-valued positional argument.</summary>
        public string TextOf(ParseResult result, string fieldName) => result.GetValue((Argument<string>)_argumentsByField[fieldName])!;

        public void AddTo(Command command)
        {
            foreach (var (_, argument) in _arguments) command.Arguments.Add(argument);
            foreach (var (_, option) in _options) command.Options.Add(option);
            foreach (Option? option in new Option?[] { _pageKey, _limit, _offset, _countTotal, _reverse })
                if (option is not null) command.Options.Add(option);
        }

        private static string Help(FieldDescriptor field)
        {
            string comment = ProtoComments.Of(field);
            string hint = FieldInput.Hint(field);
            return (comment, hint) switch
            {
                ("", "") => field.Name,
                ("", _) => hint,
                (_, "") => comment,
                _ => $"{comment} ({hint})",
            };
        }

        /// <param name="skip">A field set by the caller afterwards (a signer taken as an argument).</param>
        public IMessage Parse(ParseResult result, KeyResolver keys, string? skip = null)
        {
            var msg = _type.Parser.ParseFrom(ByteString.Empty);
            foreach (var (field, argument) in _arguments)
            {
                if (field.Name == skip) continue;
                string[] texts = argument is Argument<string[]> many ? result.GetValue(many) ?? [] : [result.GetValue((Argument<string>)argument)!];
                foreach (var text in texts) Set(msg, field, text, FieldInput.CliName(field), keys);
            }
            foreach (var (field, option) in _options)
            {
                string what = option.Name;
                switch (option)
                {
                    case Option<bool> flag:
                        if (result.GetValue(flag)) field.Accessor.SetValue(msg, true);
                        break;
                    case Option<string[]> many:
                        foreach (var text in result.GetValue(many) ?? []) Set(msg, field, text, what, keys);
                        break;
                    case Option<string?> one:
                        if (result.GetValue(one) is { } value) Set(msg, field, value, what, keys);
                        break;
                }
            }
            if (_limit is not null)
            {
                var page = new PageRequest
                {
                    Limit = result.GetValue(_limit!) ?? 0,
                    Offset = result.GetValue(_offset!) ?? 0,
                    CountTotal = result.GetValue(_countTotal!),
                    Reverse = result.GetValue(_reverse!),
                };
                if (result.GetValue(_pageKey!) is { } key)
                {
                    try { page.Key = ByteString.FromBase64(key); }
                    catch (FormatException) { throw new CliUsageException($"--page-key: '{key}' is not base64 (copy next_key from the last page)"); }
                }
                if (!page.Key.IsEmpty && page.Offset > 0) throw new CliUsageException("give --page-key or --offset, not both");
                var field = _type.Fields.InFieldNumberOrder().First(f => FieldInput.KindOf(f) == FieldKind.Pagination);
                if (page.Limit > 0 || page.Offset > 0 || page.CountTotal || page.Reverse || !page.Key.IsEmpty) field.Accessor.SetValue(msg, page);
            }
            return msg;
        }

        private static void Set(IMessage msg, FieldDescriptor field, string text, string what, KeyResolver keys)
        {
            object value = FieldInput.KindOf(field) switch
            {
                FieldKind.Address => keys.Address(text, what),
                FieldKind.ValidatorAddress => keys.Operator(text, what),
                FieldKind.ConsensusAddress => FieldInput.ParseConsensusAddress(text, what),
                FieldKind.Decimal => FieldInput.ParseDecimal(text, what),
                FieldKind.Coin => FieldInput.ParseCoin(text, what),
                FieldKind.DeviceKey => ByteString.CopyFrom(keys.DeviceKey(text, what)),
                FieldKind.Bytes => ByteString.CopyFrom(FieldInput.ParseBytes(text, what)),
                FieldKind.MicroDegrees => FieldInput.ParseMicroDegrees(field, text, what),
                FieldKind.Tenths => FieldInput.ParseTenths(field, text, what),
                FieldKind.Integer => FieldInput.ParseInteger(field, text, what),
                FieldKind.IntegerText => FieldInput.ParseIntegerText(text, DePinChain.Modules.Mint.MintKeys.DefaultDenom, what),
                FieldKind.Enum => FieldInput.ParseEnum(field, text, what),
                FieldKind.Text => text,
                FieldKind.Coins => CommandHelpers.ParseCoins(text, what).ToProto().ToList(),
                FieldKind.Json => FieldInput.ParseJson(field.MessageType, text, what),
                var kind => throw new InvalidOperationException($"{field.FullName}: {kind} is not set from text"),
            };
            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(msg);
                if (value is System.Collections.IEnumerable many and not string and not ByteString)
                    foreach (var item in many) list.Add(item);
                else
                    list.Add(value);
            }
            else
            {
                field.Accessor.SetValue(msg, value);
            }
        }
    }
}
