using System.Text.Json.Nodes;
using Scratch.Models.Checkpoints;

namespace Scratch.Cli.OldCheckpoints;

/// <summary>
/// The metadata of an older checkpoint rewritten as a <see cref="TrainingState"/>'s. Version 1 (the
/// scratch-checkpoint format) and version 2 (safetensors) held the same JSON, one layout per family:
/// <code>
///   autoencoder: { content, model, training, epochsDone, rng, optimizer: { kind, steps }, history }
///   GAN:         { content, recipe, epochsDone, rng, optimizerSteps: { network: steps }, history, stepLosses }
/// </code>
/// The tensors keep their names: both layouts already used the state's ("encoder.0.weight",
/// "optimizer.m.0", "generator.net.1.weight", "optimizer.generator.m.0"). Only fields are moved;
/// the checks are the engine's, when the converted file is loaded.
/// </summary>
public static class Upgrade
{
    /// <summary>The version-3 metadata of version-1/2 <paramref name="old"/>, read from <paramref name="path"/>.</summary>
    public static JsonObject Metadata(string path, JsonObject old)
    {
        var read = new MetadataReader(path);
        string content = read.String(old, "content", "metadata");
        var state = new JsonObject
        {
            ["content"] = content,
            ["epochsDone"] = read.Int(old, "epochsDone", "metadata"),
        };
        if (content == "scratch-autoencoder")
        {
            state["recipe"] = new JsonObject { ["model"] = Copy(read.Object(old, "model", "metadata")), ["training"] = Copy(read.Object(old, "training", "metadata")) };
            state["history"] = Copy(read.Array(old, "history", "metadata"));
            state["rngs"] = new JsonObject { ["trainer"] = Copy(read.Object(old, "rng", "metadata")) };
            state["optimizers"] = new JsonObject { ["model"] = Copy(read.Object(old, "optimizer", "metadata")) };
            state["extra"] = new JsonObject();
            return state;
        }
        // A GAN: its history named the training loss "loss" and its terms "terms", and had no test loss.
        state["recipe"] = Copy(read.Object(old, "recipe", "metadata"));
        state["history"] = new JsonArray(read.Array(old, "history", "metadata").Select((node, i) =>
        {
            var e = node as JsonObject ?? throw read.Fail($"metadata field 'history[{i}]' is not a JSON object");
            return (JsonNode?)new JsonObject
            {
                ["epoch"] = e["epoch"]?.DeepClone(),
                ["trainLoss"] = e["loss"]?.DeepClone(),
                ["trainTerms"] = e["terms"]?.DeepClone(),
                ["testLoss"] = null,
                ["testTerms"] = new JsonObject(),
                ["seconds"] = e["seconds"]?.DeepClone(),
                ["samplesPerSecond"] = e["samplesPerSecond"]?.DeepClone(),
                ["steps"] = e["steps"]?.DeepClone(),
            };
        }).ToArray());
        state["rngs"] = new JsonObject { ["noise"] = Copy(read.Object(old, "rng", "metadata")) };
        state["optimizers"] = new JsonObject(read.Object(old, "optimizerSteps", "metadata").Select(p =>
            KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject { ["kind"] = "adam", ["steps"] = p.Value?.DeepClone() })));
        state["extra"] = new JsonObject { ["stepLosses"] = Copy(read.Object(old, "stepLosses", "metadata")) };
        return state;
    }

    private static JsonNode Copy(JsonNode node) => node.DeepClone();
}
