// The peer of cobuild's benchmark: @neo4j/graphql 7 serving ./typedefs.graphql over the same
// Neo4j, with Apollo Server's standalone HTTP server on 127.0.0.1.
//
//   NEO4J_URI=bolt://127.0.0.1:7700 NEO4J_USER=neo4j NEO4J_PASSWORD=... PEER_PORT=0 node server.mjs
//
// Prints "peer is ready at http://127.0.0.1:<port>/" on stdout once it serves. A request with
// the header `x-bench-capture: 1` also gets, in extensions.cypher, every Cypher statement
// @neo4j/graphql ran for it with its parameters (typed: {"$int": "50"}, {"$date": "2026-01-31"}),
// so that the harness can PROFILE them; other requests run untouched.

import { readFile } from "node:fs/promises";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const here = new URL(".", import.meta.url);
const typeDefs = await readFile(new URL("typedefs.graphql", here), "utf8");

const uri = process.env.NEO4J_URI;
if (!uri) {
    console.error("peer: NEO4J_URI is not set");
    process.exit(2);
}
const driver = neo4j.driver(uri, neo4j.auth.basic(process.env.NEO4J_USER || "neo4j", process.env.NEO4J_PASSWORD || ""));
await driver.verifyConnectivity();
const sessionConfig = process.env.NEO4J_DATABASE ? { database: process.env.NEO4J_DATABASE } : undefined;

const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const schema = await neoSchema.getSchema();

// encode turns Cypher parameters into JSON that keeps their Neo4j types.
function encode(v) {
    if (v === null || v === undefined) return null;
    if (neo4j.isInt(v)) return { $int: v.toString() };
    if (neo4j.isDate(v)) return { $date: v.toString() };
    if (neo4j.isDateTime(v) || neo4j.isLocalDateTime(v) || neo4j.isTime(v) || neo4j.isLocalTime(v) || neo4j.isDuration(v)) {
        throw new Error(`capture: a ${v.constructor.name} parameter cannot be encoded`);
    }
    if (Array.isArray(v)) return v.map(encode);
    if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
    return v;
}

// capturing returns the driver, wrapped so that every statement run in its sessions' read
// transactions is recorded in log.
function capturing(log) {
    const wrapTx = (tx) =>
        new Proxy(tx, {
            get(t, prop) {
                if (prop === "run") {
                    return (query, params) => {
                        log.push({ query, params: encode(params ?? {}) });
                        return t.run(query, params);
                    };
                }
                const v = Reflect.get(t, prop);
                return typeof v === "function" ? v.bind(t) : v;
            },
        });
    const wrapSession = (s) =>
        new Proxy(s, {
            get(t, prop) {
                if (prop === "executeRead" || prop === "executeWrite") {
                    return (work, config) => t[prop]((tx) => work(wrapTx(tx)), config);
                }
                const v = Reflect.get(t, prop);
                return typeof v === "function" ? v.bind(t) : v;
            },
        });
    return new Proxy(driver, {
        get(t, prop) {
            if (prop === "session") return (config) => wrapSession(t.session(config));
            const v = Reflect.get(t, prop);
            return typeof v === "function" ? v.bind(t) : v;
        },
    });
}

const captureToExtensions = {
    async requestDidStart() {
        return {
            async willSendResponse({ contextValue, response }) {
                if (contextValue.cypherLog && response.body.kind === "single") {
                    response.body.singleResult.extensions = {
                        ...response.body.singleResult.extensions,
                        cypher: contextValue.cypherLog,
                    };
                }
            },
        };
    },
};

const server = new ApolloServer({ schema, plugins: [captureToExtensions] });
const port = Number(process.env.PEER_PORT ?? 4000);
const { url } = await startStandaloneServer(server, {
    listen: { host: "127.0.0.1", port },
    context: async ({ req }) => {
        const ctx = { sessionConfig };
        if (req.headers["x-bench-capture"] === "1") {
            ctx.cypherLog = [];
            ctx.executionContext = capturing(ctx.cypherLog);
        }
        return ctx;
    },
});
console.log(`peer is ready at ${url}`);

// SIGTERM or SIGINT: stop serving, close the driver and exit, within 3 seconds at most.
let stopping = false;
function stop() {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 3000).unref();
    server
        .stop()
        .catch(() => {})
        .then(() => driver.close())
        .finally(() => process.exit(0));
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
