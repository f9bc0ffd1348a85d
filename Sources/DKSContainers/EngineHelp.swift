// EngineHelp: `help engine` — how dks chooses its engine and what "no isolation" means on the
// local engine — registered as a help topic beside the `engine` command (help shows both).
// Must not: describe behaviour the engines do not have: scripts/test-docs runs the example.
import DKSLanguage

enum EngineHelp {
    static func register(_ r: BuiltinRegistry) {
        r.registerTopic("engine", """
            The engine is what runs containers. dks picks it on the first container command:
              --engine docker (DKS_ENGINE=docker)  the Docker Engine API (Podman's works too), at
                                                  --host, else DOCKER_HOST, else the docker CLI's
                                                  context, else /var/run/docker.sock
              --engine local                      the local engine, built into dks
              --engine auto (the default)         Docker as above; only when no engine is configured
                                                  and the default socket does not answer within 1 s,
                                                  the local engine, with a notice
            At the prompt, the banner names the engine, and on the local engine the prompt reads
            dks[local]> so that you always know.

            The local engine has NO ISOLATION. A "container" there is an ordinary process on this
            machine, run as you, started from the command you give (the image name is only
            recorded: nothing is downloaded, and a command is required). It gets a fresh working
            folder of its own, its -e environment, logs, health checks, exec, stop and wait, so
            scripts and lessons behave as on Docker. But it can read and change anything you can:
            touch /tmp/x creates /tmp/x on this machine, rm -rf ~/x deletes your ~/x, it uses your
            network and sees your processes. Relative paths stay in its folder; prefer them.
            Options that need isolation (-v, -p, --memory, --network ...) are accepted and do
            nothing; images, volumes and networks are errors that name the local engine. Every
            local container is stopped when dks ends. Use it to learn and to test scripts; use
            Docker or Podman for anything you would not run on this machine directly.

            example:
              echo (engine).kind
              $c = run -d busybox sh -c 'echo "hello from $(basename $(pwd))"; sleep 30'
              defer { rm -f $c }
              wait-log $c hello --timeout 10s
              echo $c.status
            """)
    }
}
