namespace Berth.Data.Schema;

/// <summary>One versioned step of the schema; applied once, in <see cref="Version"/> order, never edited after release.</summary>
/// <param name="Sql">Portable SQL; <see cref="SchemaMigrations.IdentityToken"/> stands for the provider's auto-increment key.</param>
internal sealed record Migration(int Version, string Name, string Sql);
