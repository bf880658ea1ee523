namespace Berth.Http;

/// <summary>Set once the stores are migrated and open; /healthz answers 200 only after that.</summary>
internal sealed class Readiness
{
    private volatile bool ready;

    public bool IsReady => ready;

    public void MarkReady() => ready = true;
}
