using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Federation.IdentityProviders;

/// <summary>
/// One identity provider's key cache. State is per provider (its own lock and its own in-flight fetch),
/// so a slow or dead issuer never delays another issuer's validation. Fetches are awaited by the caller
/// that needs them, single-flight, bounded by <see cref="IdentityProviderOptions.FetchTimeout"/>, and at
/// most one per <see cref="IdentityProviderOptions.MinKeyRefreshInterval"/> on the injected clock.
/// </summary>
internal sealed class IdentityProviderKeys
{
    private readonly IdentityProviderOptions _options;
    private readonly IKeySource _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private IReadOnlyList<JsonWebKey>? _keys;
    private DateTimeOffset? _fetchedAt;
    private DateTimeOffset? _lastAttempt;
    private string? _lastError;
    private Task? _inflight;

    public IdentityProviderKeys(IdentityProviderOptions options, IKeySource source, TimeProvider time, ILogger logger)
    {
        _options = options;
        _source = source;
        _time = time;
        _logger = logger;
        if (source is StaticKeySource known)
        {
            LoadNow(known);
        }
    }

    public IdentityProviderOptions Options => _options;

    /// <summary>
    /// Keys for a token: with a <paramref name="kid"/>, only keys with that kid (one rate-limited refetch
    /// when none is cached, then nothing); without one, every key of this provider.
    /// </summary>
    public async Task<KeyLookup> GetKeysAsync(string? kid, CancellationToken cancellationToken)
    {
        if (NeedsPeriodicFetch(_time.GetUtcNow()))
        {
            await FetchAsync(cancellationToken);
        }

        var lookup = Lookup(kid);
        if (lookup.Found || kid is null || !CanFetch(_time.GetUtcNow()))
        {
            return lookup;
        }

        // Unknown kid: the issuer may have rotated. One awaited refetch, then fail closed.
        await FetchAsync(cancellationToken);
        return Lookup(kid);
    }

    /// <summary>Fetches now, unless a fetch is already running (then joins it).</summary>
    public async Task FetchAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (_gate)
        {
            task = _inflight ??= RunFetchAsync();
        }

        await task.WaitAsync(cancellationToken);
    }

    public IdentityProviderKeyHealth Health()
    {
        lock (_gate)
        {
            return new IdentityProviderKeyHealth(
                _options.Name,
                _options.Issuer,
                _source.Description,
                _lastAttempt,
                _fetchedAt,
                _keys?.Select(k => k.Kid ?? string.Empty).ToList() ?? [],
                _lastError,
                UsableKeys(_time.GetUtcNow()) is not null);
        }
    }

    private KeyLookup Lookup(string? kid)
    {
        IReadOnlyList<JsonWebKey>? keys;
        string? error;
        bool everFetched;
        lock (_gate)
        {
            keys = UsableKeys(_time.GetUtcNow());
            error = _lastError;
            everFetched = _fetchedAt is not null;
        }

        if (keys is null)
        {
            return KeyLookup.None(!everFetched
                ? $"signing keys of identity provider '{_options.Name}' could not be loaded" + (error is null ? string.Empty : $": {error}")
                : $"signing keys of identity provider '{_options.Name}' are older than {_options.MaxStaleKeyAge} and the issuer is unreachable" + (error is null ? string.Empty : $": {error}"));
        }

        var matching = kid is null ? keys : keys.Where(k => string.Equals(k.Kid, kid, StringComparison.Ordinal)).ToList();
        return matching.Count > 0
            ? KeyLookup.Of(matching)
            : KeyLookup.None(kid is null
                ? $"identity provider '{_options.Name}' publishes no signing key"
                : $"identity provider '{_options.Name}' has no signing key with this kid");
    }

    private IReadOnlyList<JsonWebKey>? UsableKeys(DateTimeOffset now)
    {
        if (_keys is null || _fetchedAt is null)
        {
            return null;
        }

        return !_source.IsRefreshable || now - _fetchedAt.Value <= _options.MaxStaleKeyAge ? _keys : null;
    }

    private bool NeedsPeriodicFetch(DateTimeOffset now)
    {
        lock (_gate)
        {
            // Without usable keys, join a fetch that is already running rather than fail beside it.
            if (_inflight is not null && UsableKeys(now) is null)
            {
                return true;
            }

            if (_fetchedAt is not null && (!_source.IsRefreshable || now - _fetchedAt.Value < _options.KeyRefreshInterval))
            {
                return false;
            }

            return _lastAttempt is null || now - _lastAttempt.Value >= _options.MinKeyRefreshInterval;
        }
    }

    private bool CanFetch(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _source.IsRefreshable && (_lastAttempt is null || now - _lastAttempt.Value >= _options.MinKeyRefreshInterval);
        }
    }

    private async Task RunFetchAsync()
    {
        // Always yield first so the caller stores this task as in-flight before it can complete.
        await Task.Yield();
        var started = _time.GetUtcNow();
        lock (_gate)
        {
            _lastAttempt = started;
        }

        try
        {
            // The fetch is shared by every waiting caller, so no caller's token cancels it; only the timeout does,
            // on the injected clock (a hanging issuer is then tested without waiting for it).
            using var timeout = new CancellationTokenSource(_options.FetchTimeout, _time);
            var keys = await _source.FetchAsync(timeout.Token);
            lock (_gate)
            {
                _keys = keys;
                _fetchedAt = started;
                _lastError = null;
            }

            FederationMetrics.RecordKeyRefresh(_options.Name, succeeded: true);

            _logger.LogInformation("Fetched {Count} signing keys for identity provider {IdentityProvider} from {Source}: {Kids}",
                keys.Count, _options.Name, _source.Description, string.Join(",", keys.Select(k => k.Kid)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var message = e is OperationCanceledException ? $"fetch timed out after {_options.FetchTimeout}" : Describe(e);
            lock (_gate)
            {
                _lastError = message;
            }

            FederationMetrics.RecordKeyRefresh(_options.Name, succeeded: false);

            _logger.LogWarning("Fetching signing keys for identity provider {IdentityProvider} from {Source} failed: {Error}",
                _options.Name, _source.Description, e is KeySourceException { Detail: { } detail } ? $"{message}: {detail}" : message);
        }
        finally
        {
            lock (_gate)
            {
                _inflight = null;
            }
        }
    }

    /// <summary>Static keys are there at once; a failure shows in the health and the usual fetch retries it.</summary>
    private void LoadNow(StaticKeySource source)
    {
        _lastAttempt = _time.GetUtcNow();
        try
        {
            _keys = source.Load();
            _fetchedAt = _lastAttempt;
        }
        catch (KeySourceException e)
        {
            _lastError = Describe(e);
            if (e.Detail is { } detail)
            {
                _logger.LogWarning("Loading signing keys for identity provider {IdentityProvider} failed: {Error}: {Detail}", _options.Name, _lastError, detail);
            }
        }
    }

    /// <summary>The messages of an exception and its causes, as key health shows them to admin API callers.</summary>
    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null && messages.Count < 3; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(" → ", messages.Distinct());
    }
}
