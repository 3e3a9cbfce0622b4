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
    const bool wasTraining = net->is_training();
    net->eval();
    // The score depends on the map only through the classifier: the backbone runs without a graph
    // and the gradient flows through pooling and the last layer alone.
    torch::Tensor map;
    {
        torch::NoGradGuard noGrad;
        map = net->featureMap(image).to(torch::kFloat);
    }
    map.requires_grad_(true);
    torch::AutoGradMode enableGrad(true);
    const auto score = net->classify(map).index({0, target});
    auto cam = gradCam(map, score);
    net->train(wasTraining);
    return cam;
}

}  // namespace cassava
