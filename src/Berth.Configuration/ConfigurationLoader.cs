using System.Globalization;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace Berth.Configuration;

/// <summary>Reads the YAML file and the environment into typed, validated settings.</summary>
internal static class ConfigurationLoader
{
    public const string EnvironmentPrefix = "BERTH_";

    /// <exception cref="ConfigurationException">A file, key or value is wrong; the message names it.</exception>
    public static BerthSettings Load(string? configFile, IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        var unknown = new List<string>();
        if (configFile is not null)
        {
            var file = ConfigFilePaths.ResolveAgainstFolderOf(configFile, ReadYaml(configFile));
            unknown.AddRange(UnknownKeys.Find(file, _ => configFile));
            builder.AddInMemoryCollection(file);
        }

        var environment = ReadEnvironment();
        unknown.AddRange(UnknownKeys.Find(environment, key => EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal)));
        if (overrides is not null)
        {
            unknown.AddRange(UnknownKeys.Find(overrides.AsReadOnly(), _ => "command line"));
        }

        if (unknown.Count > 0)
        {
            throw new ConfigurationException(unknown.Count == 1
                ? $"configuration error: {unknown[0]}"
                : "configuration error:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", unknown));
        }

        builder.AddInMemoryCollection(environment);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        var configuration = builder.Build();
        var settings = new BerthSettings();
        try
        {
            // No ErrorOnUnknownConfiguration: every source was checked above, and the binder's own check
            // ignores [ConfigurationKeyName] (it would refuse a rule's `equals`, see RuleSettings).
            configuration.Bind(settings);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException("configuration error: " + DescribeBindingFailure(e));
        }

        SettingsValidator.Validate(settings);
        return settings;
    }

    /// <summary>
    /// <c>BERTH_SECTION__KEY</c> variables. Only names with a section separator are configuration, so
    /// variables of Berth's other tools (e.g. the kubelet plugin's <c>BERTH_CACHE_KEY_TYPE</c>) never stop the server.
    /// </summary>
    private static Dictionary<string, string?> ReadEnvironment()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Contains("__", StringComparison.Ordinal))
            {
                values[name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = (string?)variable.Value;
            }
        }

        return values;
    }

    /// <summary>The binder nests the useful message (which key, which value) under generic ones.</summary>
    private static string DescribeBindingFailure(Exception failure)
    {
        var messages = new List<string>();
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (!e.Message.Contains("'ErrorOnUnknownConfiguration' was set and binding has failed", StringComparison.Ordinal))
            {
                messages.Add(e.Message);
            }
        }

        return messages.Count > 0 ? string.Join(" ", messages) : failure.Message;
    }

    /// <summary>Flattens YAML into configuration keys (<c>server:listen</c>, <c>robots:0:name</c>).</summary>
    internal static Dictionary<string, string?> ReadYaml(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read configuration file {path}: {e.Message}");
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigurationException($"configuration file {path} is not valid YAML at line {e.Start.Line}: {e.Message}");
        }

        if (yaml.Documents.Count > 0)
        {
            Flatten(yaml.Documents[0].RootNode, null, values);
        }

        return values;
    }

    private static void Flatten(YamlNode node, string? prefix, Dictionary<string, string?> values)
    {
        switch (node)
        {
            case YamlMappingNode mapping when prefix is not null && prefix.EndsWith(":jwks", StringComparison.OrdinalIgnoreCase):
                // A pasted JWKS stays one JSON document, not a tree of configuration keys.
                values[prefix] = YamlJson.ToJson(mapping);
                break;
            case YamlMappingNode mapping:
                foreach (var (key, child) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? string.Empty;
                    Flatten(child, prefix is null ? name : $"{prefix}:{name}", values);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], $"{prefix}:{i.ToString(CultureInfo.InvariantCulture)}", values);
                }

                break;
            case YamlScalarNode scalar when prefix is not null:
                values[prefix] = scalar.Value;
                break;
        }
    }
}
