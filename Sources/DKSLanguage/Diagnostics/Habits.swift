// Habits: what people who know docker-py or the docker CLI reach for, and the dks way to say it.
// Unknown names, members and options look here before "did you mean": `$c.reload()` is no
// typo of `float`, it is a docker-py habit, and the useful answer is "attributes are live".
// Owns: the tables of habits and their advice. Must not: guess by spelling (closestName does).

public enum Habits {
    /// Advice for a function, method or command name dks does not have.
    /// `name` may be dotted (`containers.run`, `client.images.pull`): the longest known tail wins.
    public static func advice(forName name: String) -> String? {
        let parts = name.split(separator: ".").map(String.init)
        for start in 0..<parts.count {
            let tail = parts[start...].joined(separator: ".")
            if let a = names[tail] { return a }
        }
        return nil
    }

    /// Advice for an undefined variable that names a docker-py client (`$client`, `$docker`).
    public static func advice(forVariable name: String) -> String? {
        ["client", "docker", "docker_client", "api"].contains(name) ? names["containers"] : nil
    }

    /// Advice for an option `command` does not have (`logs $c --stream`, `run(detach: true, environment: ...)`).
    public static func advice(forOption option: String, of command: String) -> String? {
        let key = option.replacingAll("-", with: "_")
        return options[command + ":" + key] ?? options[key]
    }

    static let live = "container attributes are read live from the engine ($c.status, $c.health, $c.attrs): there is nothing to reload, read the attribute again"

    static let names: [String: String] = [
        "reload": live,
        "refresh": live,
        "exec_run": "run a command in a container with exec: exec $c CMD ARG... (or $r = exec $c CMD to keep its exec_result: .exit_code, .output)",
        "remove": "remove a container with rm: rm -f $c (or $c.rm(force: true))",
        "put_archive": "copy files into a container with cp: cp ./local.conf $c:/etc/app.conf",
        "get_archive": "copy files out of a container with cp: cp $c:/var/log/app.log ./app.log",
        "attach_socket": "attach to a container's main process with attach $c (at the prompt), or read its output with logs -f $c",
        "ping": "engine returns the engine in use (.kind, .host, .version): echo (engine).kind",
        "version": "engine returns the engine in use (.kind, .host, .version): echo (engine).version",
        "from_env": "dks connects by itself (--host, DOCKER_HOST, else the default socket, else the local engine): just write the command, e.g. ps or run -d IMAGE; engine shows which engine is in use",
        "DockerClient": "dks connects by itself (--host, DOCKER_HOST, else the default socket, else the local engine): just write the command, e.g. ps or run -d IMAGE; engine shows which engine is in use",
        "APIClient": "dks speaks the Engine API itself: write the command (ps, run -d IMAGE, inspect $c)",
        "containers": "dks has no client object: containers.run(IMAGE) is run -d IMAGE, containers.get(NAME) is get NAME, containers.list() is ps",
        "containers.run": "start a container with run: $c = run -d IMAGE CMD... (-d returns the container; without it run waits and streams its output)",
        "containers.create": "create a container with create: $c = create IMAGE CMD...",
        "containers.get": "look a container up with get: $c = get NAME_OR_ID",
        "containers.list": "list containers with ps (ps -a includes stopped ones; ps --filter label=K=V)",
        "containers.prune": "remove stopped containers with prune containers",
        "images.pull": "pull an image with pull: pull busybox:latest",
        "images.build": "build an image with build: build . -t NAME",
        "images.list": "list images with images",
        "images.get": "list images with images --filter reference=NAME",
        "images.remove": "remove an image with rmi: rmi NAME",
        "images.push": "push an image with push: push NAME",
        "volumes": "volumes are volume create NAME, volume ls and volume rm NAME",
        "volumes.create": "create a volume with volume create NAME",
        "volumes.list": "list volumes with volume ls",
        "networks": "networks are network create NAME, network ls and network rm NAME",
        "networks.create": "create a network with network create NAME",
        "networks.list": "list networks with network ls",
        "docker": "dks talks to the engine itself: write the docker CLI's verb as a dks command (ps, run -d IMAGE, logs $c, exec $c CMD); see help",
        "docker-compose": "dks has no compose; start each container with run -d and clean up with defer { rm -f $c }",
    ]

    static let options: [String: String] = [
        "logs:stream": "use -f (follow: true) to follow the output: for $line in (logs -f $c) { ... }",
        "run:command": "write the command after the image: run -d IMAGE CMD ARG...",
        "create:command": "write the command after the image: create IMAGE CMD ARG...",
        "exec:cmd": "write the command after the container: exec $c CMD ARG...",
        "environment": "use -e KEY=VALUE (env: [\"KEY=VALUE\"]), repeatable",
        "ports": "use -p HOST:CONTAINER (publish: [\"8080:80\"]), repeatable",
        "volumes": "use -v SRC:DST (volume: [\"data:/data\"]), repeatable",
        "auto_remove": "use --rm (rm: true)",
        "remove": "use --rm (rm: true)",
        "mem_limit": "use --memory (memory: \"512m\")",
        "working_dir": "use -w (workdir: DIR)",
        "healthcheck": "use --health-cmd CMD with --health-interval D (health_cmd: ..., health_interval: ...)",
    ]
}
