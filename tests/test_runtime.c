/**
 * setns-collectd - tests/test_runtime.c
 *
 * Container names from the runtimes' files: each format parsed (runtime.c),
 * then found where each runtime keeps them under roots of the test's own
 * (containers.c), remembered after the files are gone, looked up again
 * after a miss, and the hostile cases: deep nesting, a FIFO, a huge file.
 */
#include "containers.c"

#include "mock_plugin.h"
#include "testing.h"

#include <sys/stat.h>

#define ID "3f2a9c1e4b5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"
#define ID2 "8e1d0c2b3a495867f7e6d5c4b3a2918079685746352413f2e1d0c9b8a7968574"

static const char docker_json[] =
    "{\"ID\":\"" ID "\",\"Name\":\"/web-1\",\"Config\":{\"Image\":"
    "\"nginx:1.25\",\"Env\":[\"A=1\"]}}";
static const char cri_json[] =
    "{\"ociVersion\":\"1.0.2\",\"annotations\":{"
    "\"io.kubernetes.cri.container-name\":\"app\","
    "\"io.kubernetes.cri.sandbox-name\":\"web-5d9f\","
    "\"io.kubernetes.cri.sandbox-namespace\":\"default\","
    "\"io.kubernetes.cri.image-name\":\"docker.io/library/nginx:1.25\"}}";
static const char podman_json[] =
    "[{\"id\":\"" ID2 "\",\"names\":[\"other\"],\"metadata\":\"{}\"},"
    "{\"id\":\"" ID "\",\"names\":[\"idtest\"],\"metadata\":"
    "\"{\\\"image-name\\\":\\\"localhost/ldbb:latest\\\","
    "\\\"name\\\":\\\"idtest\\\"}\"}]";

DEF_TEST(formats) {
  struct container_names n = {0};
  char deep[200];

  EXPECT_EQ_INT(true, runtime_docker(docker_json, strlen(docker_json), &n));
  EXPECT_EQ_STR("web-1", n.name);
  EXPECT_EQ_STR("nginx:1.25", n.image);
  memset(&n, 0, sizeof(n));
  EXPECT_EQ_INT(true, runtime_oci(cri_json, strlen(cri_json), &n));
  EXPECT_EQ_STR("app", n.name);
  EXPECT_EQ_STR("docker.io/library/nginx:1.25", n.image);
  EXPECT_EQ_STR("web-5d9f", n.pod_name);
  EXPECT_EQ_STR("default", n.pod_namespace);
  memset(&n, 0, sizeof(n));
  EXPECT_EQ_INT(true, runtime_podman(podman_json, strlen(podman_json), ID, &n));
  EXPECT_EQ_STR("idtest", n.name);
  EXPECT_EQ_STR("localhost/ldbb:latest", n.image);
  /* what a name holds is escaped; what nests too deep is not parsed */
  memset(&n, 0, sizeof(n));
  const char *hostile = "{\"Name\":\"/a\\\"b\\n\\u00ff\"}";
  EXPECT_EQ_INT(true, runtime_docker(hostile, strlen(hostile), &n));
  EXPECT_EQ_STR("a\"b\\x0a\\xc3\\xbf", n.name);
  memset(deep, '[', 100);
  memset(deep + 100, ']', 99);
  deep[199] = '\0';
  EXPECT_EQ_INT(false, runtime_json_shallow(deep, 199));
  EXPECT_EQ_INT(true, runtime_json_shallow("[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                                           "[[[[[[[[[[[[[[[[[\"]",
                                           49));
  EXPECT_EQ_INT(false, runtime_oci(deep, 199, &n));
  EXPECT_EQ_INT(false, runtime_docker("{\"Name\":", 8, &n)); /* cut short */
  return 0;
}

static char root[] = "/tmp/setns-test-runtime.XXXXXX";
static struct settings set;

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");

  fputs(text, f);
  fclose(f);
}

static void mkdirs(const char *path) {
  char cmd[PATH_MAX + 16];

  snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
  if (system(cmd) != 0)
    abort();
}

static void roots(void) {
  set = settings_defaults;
  snprintf(set.docker_data_root, SETTINGS_PATH_LEN, "%s/docker", root);
  snprintf(set.containerd_state, SETTINGS_PATH_LEN, "%s/containerd", root);
  snprintf(set.containers_storage, SETTINGS_PATH_LEN, "%s/storage", root);
  snprintf(set.containers_run_root, SETTINGS_PATH_LEN, "%s/run", root);
  containers_open(&set);
}

DEF_TEST(where_and_remembered) {
  struct container_names n;
  char path[PATH_MAX];

  if (mkdtemp(root) == NULL)
    return -1;
  roots();
  EXPECT_EQ_INT(false, containers_names(ID, &n));
  EXPECT_EQ_STR("", n.name);
  /* docker */
  snprintf(path, sizeof(path), "%s/docker/containers/%s", root, ID);
  mkdirs(path);
  strcat(path, "/config.v2.json");
  write_file(path, docker_json);
  EXPECT_EQ_INT(false, containers_names(ID, &n)); /* within a second */
  cache[0].looked_ns -= RETRY_NS;
  EXPECT_EQ_INT(true, containers_names(ID, &n));
  EXPECT_EQ_STR("web-1", n.name);
  unlink(path); /* removed: still named */
  EXPECT_EQ_INT(true, containers_names(ID, &n));
  EXPECT_EQ_STR("nginx:1.25", n.image);
  /* containerd, in a namespace of its own */
  snprintf(path, sizeof(path), "%s/containerd/" TASK_DIR "/k8s.io/%s", root,
           ID2);
  mkdirs(path);
  strcat(path, "/config.json");
  write_file(path, cri_json);
  EXPECT_EQ_INT(true, containers_names(ID2, &n));
  EXPECT_EQ_STR("web-5d9f", n.pod_name);
  /* LXC and systemd-nspawn: the name is the cgroup's */
  EXPECT_EQ_INT(true, containers_names("web", &n));
  EXPECT_EQ_STR("web", n.name);
  /* and off */
  set.container_names = false;
  EXPECT_EQ_INT(false, containers_names(ID, &n));
  EXPECT_EQ_STR("", n.name);
  return 0;
}

DEF_TEST(podman_and_hostile_files) {
  struct container_names n;
  char path[PATH_MAX];

  roots();
  snprintf(path, sizeof(path), "%s/storage/overlay-containers", root);
  mkdirs(path);
  strcat(path, "/containers.json");
  write_file(path, podman_json);
  EXPECT_EQ_INT(true, containers_names(ID, &n));
  EXPECT_EQ_STR("idtest", n.name);
  EXPECT_EQ_STR("localhost/ldbb:latest", n.image);
  EXPECT_EQ_STR("", n.pod_name);
  /* in a pod: its infra container's hostname names it */
  containers_close();
  snprintf(path, sizeof(path), "%s/storage/overlay-containers/%s/userdata",
           root, ID);
  mkdirs(path);
  strcat(path, "/config.json");
  write_file(path, "{\"annotations\":{\"io.kubernetes.cri-o.SandboxID\":"
                   "\"" ID2 "\"}}");
  snprintf(path, sizeof(path), "%s/storage/overlay-containers/%s/userdata",
           root, ID2);
  mkdirs(path);
  strcat(path, "/config.json");
  write_file(path, "{\"hostname\":\"mypod\"}");
  EXPECT_EQ_INT(true, containers_names(ID, &n));
  EXPECT_EQ_STR("idtest", n.name);
  EXPECT_EQ_STR("mypod", n.pod_name);
  /* a FIFO where docker's file would be: not opened for reading */
  containers_close();
  snprintf(path, sizeof(path), "%s/docker/containers/%s", root, ID2);
  mkdirs(path);
  strcat(path, "/config.v2.json");
  EXPECT_EQ_INT(0, mkfifo(path, 0600));
  EXPECT_EQ_INT(true, containers_names(ID2, &n)); /* from containerd's */
  unlink(path);
  /* a file over the limit: not read */
  EXPECT_EQ_INT(true, (read_file(path, 4, &(size_t){0}) == NULL));
  write_file(path, docker_json);
  EXPECT_EQ_INT(true, (read_file(path, 4, &(size_t){0}) == NULL));
  snprintf(path, sizeof(path), "rm -rf '%s'", root);
  EXPECT_EQ_INT(0, system(path));
  containers_close();
  return 0;
}

int main(void) {
  RUN_TEST(formats);
  RUN_TEST(where_and_remembered);
  RUN_TEST(podman_and_hostile_files);
  END_TEST;
}
