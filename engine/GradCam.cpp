#include "GradCam.h"

namespace cassava {

torch::Tensor gradCam(const torch::Tensor& featureMap, const torch::Tensor& score)
{
    const auto gradient = torch::autograd::grad({score}, {featureMap}, /*grad_outputs=*/{},
                                                /*retain_graph=*/false)[0];
    const auto weights = gradient.mean({2, 3}, /*keepdim=*/true);  // (1, C, 1, 1)
    auto cam = torch::relu((weights * featureMap).sum(1)).squeeze(0).detach().to(torch::kFloat).cpu();
    const float top = cam.max().item<float>();
    return top > 0 ? cam / top : torch::zeros_like(cam);
}

torch::Tensor gradCam(EfficientNet& net, const torch::Tensor& image, int target)
{
    return gradCams(net, image, {target}).at(0);
}

std::vector<torch::Tensor> gradCams(EfficientNet& net, const torch::Tensor& image, const std::vector<int>& targets)
{
    const bool wasTraining = net->is_training();
    net->eval();
    // The score depends on the map only through the classifier: the backbone runs once, without a
    // graph, and each target's gradient flows through pooling and the last layer alone.
    torch::Tensor map;
    {
        torch::NoGradGuard noGrad;
        map = net->featureMap(image).to(torch::kFloat);
    }
    std::vector<torch::Tensor> cams;
    for (int target : targets) {
        const torch::Tensor leaf = map.detach().requires_grad_(true);
        torch::AutoGradMode enableGrad(true);
        const auto score = net->classify(leaf).index({0, target});
        cams.push_back(gradCam(leaf, score));
    }
    net->train(wasTraining);
    return cams;
}

}  // namespace cassava
